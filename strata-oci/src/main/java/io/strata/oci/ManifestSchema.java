package io.strata.oci;

import static io.strata.oci.SchemaCheck.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;

/**
 * The image-manifest and image-index schemas, plus the CVE-2021-41190 rule: a document that
 * carries both {@code manifests} and {@code config}/{@code layers} is ambiguous and refused.
 */
final class ManifestSchema {
  private ManifestSchema() {}

  /**
   * @param requireLayers the schema's {@code minItems: 1}; strata's parser relaxes it because
   *     Docker writes {@code "layers": []} for images built FROM scratch with only metadata
   */
  static void manifest(JsonNode node, boolean requireLayers, String at) {
    SchemaCheck.object(node, at);
    if (node.has("manifests")) {
      throw fail(at, "ambiguous document: a manifest must not have \"manifests\" (CVE-2021-41190)");
    }
    common(node, at);
    DescriptorSchema.check(SchemaCheck.field(node, "config", true, false, at), at + ".config");
    JsonNode layers = SchemaCheck.field(node, "layers", true, false, at);
    if (layers.isArray() && layers.size() > ImageManifest.MAX_LAYERS) {
      throw new ResourceExhaustedException(at + ": " + layers.size() + " layers exceed the limit of " + ImageManifest.MAX_LAYERS);
    }
    int n = SchemaCheck.array(node, "layers", true, false, at, DescriptorSchema::check);
    if (requireLayers && n == 0) throw fail(at + ".layers", "must have at least one layer");
  }

  static void index(JsonNode node, String at) {
    SchemaCheck.object(node, at);
    if (node.has("layers") || node.has("config")) {
      throw fail(at, "ambiguous document: an index must not have \"config\" or \"layers\" (CVE-2021-41190)");
    }
    common(node, at);
    JsonNode manifests = SchemaCheck.field(node, "manifests", true, false, at);
    if (manifests.isArray() && manifests.size() > ImageIndex.MAX_MANIFESTS) {
      throw new ResourceExhaustedException(at + ": " + manifests.size() + " entries exceed the limit of " + ImageIndex.MAX_MANIFESTS);
    }
    SchemaCheck.array(node, "manifests", true, false, at, DescriptorSchema::check);
  }

  private static void common(JsonNode node, String at) {
    if (SchemaCheck.integer(node, "schemaVersion", true, at) != 2) {
      throw fail(at + ".schemaVersion", "must be 2");
    }
    SchemaCheck.mediaType(node, "mediaType", false, at);
    SchemaCheck.mediaType(node, "artifactType", false, at);
    JsonNode subject = SchemaCheck.field(node, "subject", false, false, at);
    if (subject != null) DescriptorSchema.check(subject, at + ".subject");
    SchemaCheck.stringMap(node, "annotations", false, at);
  }

  /** The {@code oci-layout} file: {@code {"imageLayoutVersion": "1.0.0"}}. */
  static void layout(JsonNode node, String at) {
    SchemaCheck.object(node, at);
    String version = SchemaCheck.string(node, "imageLayoutVersion", true, at);
    if (!"1.0.0".equals(version)) {
      throw new InvalidArgumentException(at + ".imageLayoutVersion: unsupported version " + Values.quote(version));
    }
  }
}
