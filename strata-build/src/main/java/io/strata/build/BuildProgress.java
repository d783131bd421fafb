package io.strata.build;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Build output as buildah and podman print it: {@code STEP 3/7: RUN …}, the step's output, then
 * {@code --> Using cache} or {@code --> 1.2s}; {@code -q} prints nothing but the image ID.
 */
final class BuildProgress {
  private final PrintStream out;
  private final boolean quiet;
  private long stepStart;
  private boolean cached;

  BuildProgress(PrintStream out, boolean quiet) {
    this.out = out;
    this.quiet = quiet;
  }

  void step(int n, int total, String text) {
    stepStart = System.nanoTime();
    cached = false;
    if (!quiet) out.println("STEP " + n + "/" + total + ": " + text);
  }

  void cached() {
    cached = true;
  }

  void stepDone() {
    if (quiet) return;
    if (cached) out.println("--> Using cache");
    else out.printf("--> %.1fs%n", Duration.ofNanos(System.nanoTime() - stepStart).toMillis() / 1000.0);
  }

  /** Where a RUN's output goes: to the terminal (unless quiet) and to {@code capture}, for the error of a failing step. */
  OutputStream stepOutput(OutputStream capture) {
    return new OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        capture.write(b, off, len);
        if (!quiet) out.write(b, off, len);
      }

      @Override
      public void flush() {
        out.flush();
      }
    };
  }

  void line(String s) {
    if (!quiet) out.println(s);
  }
}
