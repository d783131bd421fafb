package io.strata.errdefs;

/** Error kind: credentials are missing or refused. */
public final class UnauthorizedException extends StrataException {
  public UnauthorizedException(String message) {
    super(message, null);
  }

  public UnauthorizedException(String message, Throwable cause) {
    super(message, cause);
  }
}
