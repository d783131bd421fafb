package io.strata.oci;

/** A document a manifest descriptor can point at: an image manifest or an index (Docker: a manifest list). */
public sealed interface ManifestDocument permits ImageManifest, ImageIndex {
  int schemaVersion();

  /** The {@code mediaType} field as written in the document; may be null in OCI documents. */
  String mediaType();
}
