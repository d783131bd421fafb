package io.strata.layer;

import io.strata.oci.Digest;

/** What {@link DiffIds#digest} learns of a layer blob. */
public record LayerDigests(Digest diffId, long uncompressedSize, Compression compression) {}
