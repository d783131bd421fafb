package io.strata.store;

import io.strata.oci.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored image. {@code id} is the config digest (Docker's image ID); {@code created} comes from
 * the config and may be null; {@code size} is the sum of the layers' uncompressed sizes.
 */
public record ImageRecord(Digest id, Digest manifestDigest, String manifestMediaType, long manifestSize,
    Instant created, long size, Instant loadedAt) {
  public ImageRecord {
    Objects.requireNonNull(id, "id").requireSupported();
    Objects.requireNonNull(manifestDigest, "manifestDigest").requireSupported();
    Objects.requireNonNull(manifestMediaType, "manifestMediaType");
    Objects.requireNonNull(loadedAt, "loadedAt");
  }
}
