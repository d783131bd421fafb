package io.strata.runtime;

/**
 * A container whose process could not be started, with Docker's exit status for it: 127 the
 * command was not found, 126 it cannot be invoked, 125 any other failure to start.
 */
public final class ExecFailure extends RuntimeException {
  public static final int RUNTIME = 125;
  public static final int CANNOT_INVOKE = 126;
  public static final int NOT_FOUND = 127;

  private final int exitCode;

  public ExecFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
