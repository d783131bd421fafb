package io.strata.errdefs;

/** Error kind: a bound was hit: decompression bomb, oversized header, manifest or layer count. */
public final class ResourceExhaustedException extends StrataException {
  public ResourceExhaustedException(String message) {
    super(message, null);
  }

  public ResourceExhaustedException(String message, Throwable cause) {
    super(message, cause);
  }
}
