package io.strata.cli;

import io.strata.registry.TransferProgress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a pull or push looks, as Docker's CLI shows it: on a terminal a line per layer that is
 * redrawn in place, with a progress bar, sizes and speed; otherwise one line per change of a
 * layer's state, without the byte counts ({@code Downloading}, {@code Extracting}, {@code Pushing}),
 * as Docker prints it into a log. {@code -q} shows nothing.
 */
abstract sealed class TransferView implements TransferProgress {
  static TransferView of(PrintWriter out, boolean terminal, boolean quiet) {
    if (quiet) return new Quiet();
    return terminal ? new Terminal(out) : new Plain(out);
  }

  /** Statuses that carry bytes: shown as a bar on a terminal, left out of plain output. */
  static boolean counts(String status) {
    return status.equals("Downloading") || status.equals("Extracting") || status.equals("Pushing");
  }

  static final class Quiet extends TransferView {
    @Override
    public void line(String text) {}

    @Override
    public void layer(String id, String status, long current, long total) {}
  }

  static final class Plain extends TransferView {
    private final PrintWriter out;
    private final Map<String, String> last = new HashMap<>();

    Plain(PrintWriter out) {
      this.out = out;
    }

    @Override
    public synchronized void line(String text) {
      out.println(text);
      out.flush();
    }

    @Override
    public synchronized void layer(String id, String status, long current, long total) {
      if (counts(status) && current >= 0) return;
      if (status.equals(last.put(id, status))) return;
      out.println(id + ": " + status);
      out.flush();
    }
  }

  static final class Terminal extends TransferView {
    private static final long REDRAW_NANOS = 100_000_000;
    private static final int BAR = 50;
    private final PrintWriter out;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Long> drawnAt = new HashMap<>();
    private final Map<String, long[]> started = new HashMap<>(); // id -> {nanos, bytes} when its transfer began

    Terminal(PrintWriter out) {
      this.out = out;
    }

    @Override
    public synchronized void line(String text) {
      out.println(text);
      out.flush();
      ids.clear(); // later layer lines start below this one
    }

    @Override
    public synchronized void layer(String id, String status, long current, long total) {
      long now = System.nanoTime();
      boolean counting = counts(status) && current >= 0;
      if (counting) {
        Long at = drawnAt.get(id);
        if (at != null && now - at < REDRAW_NANOS && current < total) return;
        started.putIfAbsent(id + status, new long[] {now, current});
      }
      drawnAt.put(id, now);
      String text = id + ": " + status + (counting ? " " + bar(current, total) + speed(id + status, now, current) : "");
      int row = ids.indexOf(id);
      if (row < 0) {
        ids.add(id);
        out.print(text + "\n");
      } else {
        int up = ids.size() - row;
        out.print("\u001b[" + up + "A\r\u001b[2K" + text + "\r\u001b[" + up + "B");
      }
      out.flush();
    }

    private static String bar(long current, long total) {
      if (total <= 0) return " " + HumanUnits.humanSize(current);
      int filled = (int) Math.min(BAR, current * BAR / total);
      String arrow = filled < BAR ? ">" : "";
      return "[" + "=".repeat(Math.max(0, filled - arrow.length())) + arrow + " ".repeat(BAR - filled) + "] "
          + String.format("%8s/%s", HumanUnits.humanSize(current), HumanUnits.humanSize(total));
    }

    private String speed(String key, long now, long current) {
      long[] s = started.get(key);
      double seconds = (now - s[0]) / 1e9;
      if (seconds < 0.5) return "";
      return "  " + HumanUnits.humanSize((current - s[1]) / seconds) + "/s";
    }
  }
}
