package io.strata.errdefs;

/** Error kind: the request is well formed but the state forbids it (digest mismatch at commit, image in use). */
public final class FailedPreconditionException extends StrataException {
  public FailedPreconditionException(String message) {
    super(message, null);
  }

  public FailedPreconditionException(String message, Throwable cause) {
    super(message, cause);
  }
}
