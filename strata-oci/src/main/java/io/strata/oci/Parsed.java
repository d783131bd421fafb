package io.strata.oci;

import io.strata.errdefs.InvalidArgumentException;

/**
 * A document together with the exact bytes it was read from (or first written as) and their
 * digest. The digest is always over {@code raw}; a parsed document is never re-serialised.
 * {@link #raw()} returns a copy; use {@link #size()} for the length.
 */
public record Parsed<T>(T value, byte[] raw, Digest digest, String mediaType) {
  public Parsed {
    if (value == null || raw == null || digest == null) {
      throw new InvalidArgumentException("parsed document: value, raw bytes and digest are required");
    }
    raw = raw.clone();
    Digest actual = Digester.forDigest(digest).update(raw).digest();
    if (!actual.equals(digest)) {
      throw new InvalidArgumentException("parsed document: digest " + digest + " does not match bytes (" + actual + ")");
    }
  }

  /** Wraps bytes with their sha256 digest. */
  public static <T> Parsed<T> of(T value, byte[] raw, String mediaType) {
    return new Parsed<>(value, raw, Digest.sha256(raw), mediaType);
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  public long size() {
    return raw.length;
  }

  /** A descriptor for these bytes. */
  public Descriptor descriptor() {
    return Descriptor.of(mediaType, digest, raw.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Parsed<?> p && digest.equals(p.digest) && java.util.Objects.equals(mediaType, p.mediaType);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "Parsed[" + mediaType + " " + digest + ", " + raw.length + " bytes]";
  }
}
