package io.strata.store;

import io.strata.oci.Digest;
import java.util.Objects;

/** One layer of a stored image: its diffID (uncompressed digest) and the blob that holds it. */
public record LayerRecord(Digest diffId, Digest blobDigest, String mediaType, long blobSize, long uncompressedSize) {
  public LayerRecord {
    Objects.requireNonNull(diffId, "diffId").requireSupported();
    Objects.requireNonNull(blobDigest, "blobDigest").requireSupported();
    Objects.requireNonNull(mediaType, "mediaType");
  }
}
