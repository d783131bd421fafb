package io.strata.errdefs;

/** Error kind: a required tool, service or kernel feature is missing or not reachable. */
public final class UnavailableException extends StrataException {
  public UnavailableException(String message) {
    super(message, null);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
