package io.strata.image;

import io.strata.oci.Digest;
import io.strata.oci.ImageConfig;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Parsed;
import io.strata.store.LayerRecord;
import java.util.List;

/**
 * A stored image: its manifest and config as stored (digests over the stored bytes), its layers
 * bottom first, and its tags in familiar form ({@code busybox:latest}). {@code id} is the config digest.
 */
public record Image(Digest id, Parsed<ManifestDocument> manifest, Parsed<ImageConfig> config,
    List<LayerRecord> layers, List<String> repoTags) {
  public Image {
    layers = List.copyOf(layers);
    repoTags = List.copyOf(repoTags);
  }

  /** Sum of the layers' uncompressed sizes (docker's SIZE). */
  public long size() {
    return layers.stream().mapToLong(LayerRecord::uncompressedSize).sum();
  }
}
