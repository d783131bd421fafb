package io.strata.errdefs;

/** Error kind: the input is malformed: a reference, a digest, a manifest, a tar entry, a flag. */
public final class InvalidArgumentException extends StrataException {
  public InvalidArgumentException(String message) {
    super(message, null);
  }

  public InvalidArgumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
