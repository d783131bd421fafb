package io.strata.build;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;

/** {@link BuildProgress#plain} and {@link BuildProgress#quiet}. */
final class PlainProgress implements BuildProgress {
  private final PrintStream out;
  private final boolean quiet;
  private long stepStart;
  private boolean cached;

  PlainProgress(PrintStream out, boolean quiet) {
    this.out = out;
    this.quiet = quiet;
  }

  @Override
  public void step(int n, int total, String text) {
    stepStart = System.nanoTime();
    cached = false;
    if (!quiet) out.println("STEP " + n + "/" + total + ": " + text);
  }

  @Override
  public void cached() {
    cached = true;
  }

  @Override
  public void stepDone() {
    if (quiet) return;
    if (cached) out.println("--> Using cache");
    else out.printf("--> %.1fs%n", Duration.ofNanos(System.nanoTime() - stepStart).toMillis() / 1000.0);
  }

  @Override
  public OutputStream stepOutput(OutputStream capture) {
    return BuildProgress.tee(capture, (b, off, len) -> {
      if (!quiet) out.write(b, off, len);
    });
  }

  @Override
  public void line(String s) {
    if (!quiet) out.println(s);
  }

  @Override
  public void finish(boolean ok) {
    out.flush();
  }
}
