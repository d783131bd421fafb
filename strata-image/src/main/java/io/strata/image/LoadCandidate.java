package io.strata.image;

import io.strata.oci.ImageConfig;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Parsed;
import io.strata.store.BlobInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * An image found in an archive, before its layers are verified. {@code manifest} is null for a
 * docker-archive (which has none: one is synthesised after the layers are checked); {@code tags}
 * are full references; {@code source} names where it came from in error messages.
 */
record LoadCandidate(String source, Parsed<ManifestDocument> manifest, Parsed<ImageConfig> config,
    List<LayerSource> layers, List<String> tags) {

  /** One layer blob: the archive member it came from, and the media type its manifest declares (null: detect). */
  record LayerSource(String member, BlobInfo blob, String mediaType) {}

  LoadCandidate withTags(List<String> more) {
    List<String> all = new ArrayList<>(tags);
    for (String t : more) if (!all.contains(t)) all.add(t);
    return new LoadCandidate(source, manifest, config, layers, all);
  }
}
