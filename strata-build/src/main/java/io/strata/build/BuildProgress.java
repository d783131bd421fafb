package io.strata.build;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What a build shows while it runs: {@link #plain} step lines for logs and pipes (buildah's
 * format), {@link #tty} a BuildKit-like view for a terminal, or {@link #quiet} nothing. Steps of
 * stages that build side by side may run at once; each has its own {@link Step}.
 */
public sealed interface BuildProgress permits PlainProgress, TtyProgress {
  /** {@code STEP 3/7: RUN …}, the step's output, then {@code --> Using cache} or {@code --> 1.2s}. */
  static BuildProgress plain(PrintStream out) {
    return new PlainProgress(out, false);
  }

  /** Nothing but what the caller prints itself (the image ID). */
  static BuildProgress quiet() {
    return new PlainProgress(new PrintStream(OutputStream.nullOutputStream()), true);
  }

  /**
   * BuildKit's terminal view: {@code => [3/7] RUN …   1.2s} per step, {@code => CACHED [2/7] …},
   * live lines for the running steps, their output above them, and a closing
   * {@code [+] Building 5.1s (7/7) FINISHED}; {@code columns} is the terminal's width.
   */
  static BuildProgress tty(PrintStream out, int columns) {
    return new TtyProgress(out, columns);
  }

  /** Step {@code n} of {@code total} starts. */
  Step step(int n, int total, String text);

  /** One running step. */
  interface Step {
    /** It came from the layer cache. */
    void cached();

    /** Where a RUN's output goes: shown (unless quiet) and copied to {@code capture}, for the error of a failing step. */
    OutputStream output(OutputStream capture);

    void done();

    /** It failed (the build's error says how). */
    void failed();
  }

  void line(String s);

  /** The build ended (successfully or not). */
  void finish(boolean ok);

  /** A stream copying what is written to {@code capture} and handing it to {@code show}. */
  static OutputStream tee(OutputStream capture, Shown show) {
    return new OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        capture.write(b, off, len);
        show.write(b, off, len);
      }
    };
  }

  /** Where {@link #tee} shows output. */
  @FunctionalInterface
  interface Shown {
    void write(byte[] b, int off, int len) throws java.io.IOException;
  }
}
