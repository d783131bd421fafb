package io.strata.build;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link BuildProgress#tty}: one line per finished step, a live line for the running one (redrawn
 * ten times a second with its elapsed time), a RUN's output printed above the live line as whole
 * lines. Everything is written under this object's lock.
 */
final class TtyProgress implements BuildProgress {
  private static final String CLEAR = "\r\033[2K";

  private final PrintStream out;
  private final int columns;
  private final long buildStart = System.nanoTime();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("strata-progress").unstarted(r));
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream(); // a RUN's output line not yet ended
  private int n;
  private int total;
  private int done;
  private String text = "";
  private long stepStart;
  private boolean cached;
  private boolean running;

  TtyProgress(PrintStream out, int columns) {
    this.out = out;
    this.columns = Math.max(40, columns);
    ticker.scheduleAtFixedRate(this::redraw, 100, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void step(int n, int total, String text) {
    this.n = n;
    this.total = total;
    this.text = text.replaceAll("\\s+", " ").strip();
    stepStart = System.nanoTime();
    cached = false;
    running = true;
    redraw();
  }

  @Override
  public synchronized void cached() {
    cached = true;
  }

  @Override
  public synchronized void stepDone() {
    running = false;
    flushPartial();
    out.print(CLEAR);
    out.println(line(cached ? "CACHED " : "", seconds(stepStart)));
    done++;
    out.flush();
  }

  @Override
  public OutputStream stepOutput(OutputStream capture) {
    return BuildProgress.tee(capture, this::output);
  }

  private synchronized void output(byte[] b, int off, int len) {
    out.print(CLEAR);
    for (int i = off; i < off + len; i++) {
      partial.write(b[i]);
      if (b[i] == '\n') {
        out.print(partial.toString(StandardCharsets.UTF_8));
        partial.reset();
      }
    }
    redraw();
  }

  private void flushPartial() {
    if (partial.size() == 0) return;
    out.print(CLEAR);
    out.println(partial.toString(StandardCharsets.UTF_8));
    partial.reset();
  }

  @Override
  public synchronized void line(String s) {
    out.print(CLEAR);
    out.println(s);
    redraw();
  }

  @Override
  public synchronized void finish(boolean ok) {
    ticker.shutdownNow();
    running = false;
    flushPartial();
    out.print(CLEAR);
    out.printf("[+] Building %.1fs (%d/%d) %s%n", seconds(buildStart), done, total, ok ? "FINISHED" : "ERROR");
    out.flush();
  }

  private synchronized void redraw() {
    if (!running) return;
    out.print(CLEAR);
    out.print(line("", seconds(stepStart)));
    out.flush();
  }

  /** {@code  => [3/7] RUN make                    1.2s}, cut to the terminal's width. */
  private String line(String prefix, double seconds) {
    String time = String.format("%.1fs", seconds);
    String head = " => " + prefix + "[" + n + "/" + total + "] " + text;
    int room = columns - time.length() - 2;
    if (head.length() > room) head = head.substring(0, Math.max(0, room - 1)) + "…";
    return head + " ".repeat(Math.max(1, room - head.length() + 1)) + time;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
