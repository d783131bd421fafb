package io.strata.store;

import io.strata.oci.Digest;
import java.util.Objects;

/** A stored blob: its digest and its size in bytes. */
public record BlobInfo(Digest digest, long size) {
  public BlobInfo {
    Objects.requireNonNull(digest, "digest");
    if (size < 0) throw new IllegalArgumentException("blob size < 0: " + size);
  }
}
