package io.strata.build;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link BuildProgress#tty}: one line per finished step, and below them a live line per running
 * step (redrawn ten times a second with its elapsed time; several when stages build side by side);
 * RUN output is printed above the live lines as whole lines. The live block is erased by moving
 * the cursor up over it and clearing to the end of the screen. Everything is written under this
 * object's lock.
 */
final class TtyProgress implements BuildProgress {
  private static final String ESC = "\033[";

  private final PrintStream out;
  private final int columns;
  private final long buildStart = System.nanoTime();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("strata-progress").unstarted(r));
  private final List<Running> running = new ArrayList<>();
  private int drawn; // live lines on the screen now
  private int done;
  private int total;

  TtyProgress(PrintStream out, int columns) {
    this.out = out;
    this.columns = Math.max(40, columns);
    ticker.scheduleAtFixedRate(this::redraw, 100, 100, TimeUnit.MILLISECONDS);
  }

  private final class Running implements Step {
    private final int n;
    private final String text;
    private final long start = System.nanoTime();
    private boolean cached;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // its output not yet ended by a newline

    Running(int n, String text) {
      this.n = n;
      this.text = text.replaceAll("\\s+", " ").strip();
    }

    @Override
    public void cached() {
      synchronized (TtyProgress.this) {
        cached = true;
      }
    }

    @Override
    public OutputStream output(OutputStream capture) {
      return BuildProgress.tee(capture, (b, off, len) -> TtyProgress.this.output(this, b, off, len));
    }

    @Override
    public void done() {
      end(cached ? "CACHED " : "");
      synchronized (TtyProgress.this) {
        done++;
      }
    }

    @Override
    public void failed() {
      end("ERROR ");
    }

    private void end(String prefix) {
      synchronized (TtyProgress.this) {
        erase();
        flushPartial(this);
        out.println(line(this, prefix));
        running.remove(this);
        draw();
      }
    }
  }

  @Override
  public synchronized Step step(int n, int total, String text) {
    this.total = total;
    Running r = new Running(n, text);
    running.add(r);
    redraw();
    return r;
  }

  private synchronized void output(Running r, byte[] b, int off, int len) {
    erase();
    for (int i = off; i < off + len; i++) {
      r.partial.write(b[i]);
      if (b[i] == '\n') {
        out.print(r.partial.toString(StandardCharsets.UTF_8));
        r.partial.reset();
      }
    }
    draw();
  }

  private void flushPartial(Running r) {
    if (r.partial.size() == 0) return;
    out.println(r.partial.toString(StandardCharsets.UTF_8));
    r.partial.reset();
  }

  @Override
  public synchronized void line(String s) {
    erase();
    out.println(s);
    draw();
  }

  @Override
  public synchronized void finish(boolean ok) {
    ticker.shutdownNow();
    erase();
    running.forEach(this::flushPartial);
    running.clear();
    out.printf("[+] Building %.1fs (%d/%d) %s%n", seconds(buildStart), done, total, ok ? "FINISHED" : "ERROR");
    out.flush();
  }

  private synchronized void redraw() {
    erase();
    draw();
  }

  private void erase() {
    if (drawn > 0) out.print(ESC + drawn + "A\r" + ESC + "J");
    drawn = 0;
  }

  private void draw() {
    for (Running r : running) out.println(line(r, ""));
    drawn = running.size();
    out.flush();
  }

  /** {@code  => [3/7] RUN make                    1.2s}, one column short of the terminal's width so it never wraps. */
  private String line(Running r, String prefix) {
    String time = String.format("%.1fs", seconds(r.start));
    String head = " => " + prefix + "[" + r.n + "/" + total + "] " + r.text;
    int room = columns - time.length() - 2;
    if (head.length() > room) head = head.substring(0, Math.max(0, room - 1)) + "…";
    return head + " ".repeat(Math.max(1, room - head.length() + 1)) + time;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
