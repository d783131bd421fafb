package io.strata.build;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@link BuildProgress#plain} and {@link BuildProgress#quiet}. While steps of several stages run at
 * once, a step's closing line names it ({@code --> [3/7] 1.2s}).
 */
final class PlainProgress implements BuildProgress {
  private final PrintStream out;
  private final boolean quiet;
  private int running;

  PlainProgress(PrintStream out, boolean quiet) {
    this.out = out;
    this.quiet = quiet;
  }

  @Override
  public synchronized Step step(int n, int total, String text) {
    running++;
    if (!quiet) out.println("STEP " + n + "/" + total + ": " + text);
    long start = System.nanoTime();
    return new Step() {
      private boolean cached;

      @Override
      public void cached() {
        cached = true;
      }

      @Override
      public OutputStream output(OutputStream capture) {
        return BuildProgress.tee(capture, (b, off, len) -> {
          if (quiet) return;
          synchronized (PlainProgress.this) {
            out.write(b, off, len);
          }
        });
      }

      @Override
      public void failed() {
        synchronized (PlainProgress.this) {
          running--;
        }
      }

      @Override
      public void done() {
        synchronized (PlainProgress.this) {
          String which = running > 1 ? "[" + n + "/" + total + "] " : "";
          running--;
          if (quiet) return;
          if (cached) out.println("--> " + which + "Using cache");
          else out.printf("--> %s%.1fs%n", which, Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
        }
      }
    };
  }

  @Override
  public synchronized void line(String s) {
    if (!quiet) out.println(s);
  }

  @Override
  public void finish(boolean ok) {
    out.flush();
  }
}
