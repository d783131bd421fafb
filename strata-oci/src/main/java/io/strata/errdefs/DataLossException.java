package io.strata.errdefs;

/** Error kind: stored data is corrupt (a blob whose bytes no longer match its digest). */
public final class DataLossException extends StrataException {
  public DataLossException(String message) {
    super(message, null);
  }

  public DataLossException(String message, Throwable cause) {
    super(message, cause);
  }
}
