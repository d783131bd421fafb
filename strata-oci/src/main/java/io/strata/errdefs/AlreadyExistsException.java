package io.strata.errdefs;

/** Error kind: the object exists already; for idempotent writes callers treat it as success. */
public final class AlreadyExistsException extends StrataException {
  public AlreadyExistsException(String message) {
    super(message, null);
  }

  public AlreadyExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
