package io.strata.errdefs;

/** Error kind: a named object (blob, image, tag, container) does not exist. */
public final class NotFoundException extends StrataException {
  public NotFoundException(String message) {
    super(message, null);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
