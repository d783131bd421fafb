package io.strata.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;

/**
 * Schema-level validation of OCI documents, written by hand after the image-spec's JSON Schemas
 * (types, required fields, media-type and digest grammars, URLs, base64, {@code Env} entries).
 * Docker media types are validated as their OCI equivalents. Throws
 * {@link InvalidArgumentException} naming the JSON path of the first problem.
 */
public final class OciValidator {
  private OciValidator() {}

  /**
   * @param mediaType a manifest, index or config type (OCI or Docker), {@link MediaTypes#OCI_DESCRIPTOR},
   *     or {@link MediaTypes#OCI_LAYOUT_HEADER} for the {@code oci-layout} file
   */
  public static void validate(byte[] json, String mediaType) {
    String kind = kind(mediaType);
    validate(Json.readTree(json, kind), mediaType, kind);
  }

  /** Validates a tree that was already read (package use: {@link Manifests}). */
  static void validate(JsonNode node, String mediaType, String at) {
    switch (MediaTypes.toOci(mediaType)) {
      case MediaTypes.OCI_MANIFEST -> ManifestSchema.manifest(node, true, at);
      case MediaTypes.OCI_INDEX -> ManifestSchema.index(node, at);
      case MediaTypes.OCI_CONFIG -> ConfigSchema.check(node, at);
      case MediaTypes.OCI_DESCRIPTOR -> DescriptorSchema.check(node, at);
      case MediaTypes.OCI_LAYOUT_HEADER -> ManifestSchema.layout(node, at);
      default -> throw new IllegalStateException("unreachable: " + mediaType);
    }
  }

  private static String kind(String mediaType) {
    String oci = MediaTypes.toOci(mediaType);
    if (oci == null) throw new InvalidArgumentException("validate: media type is required");
    return switch (oci) {
      case MediaTypes.OCI_MANIFEST -> "manifest";
      case MediaTypes.OCI_INDEX -> "index";
      case MediaTypes.OCI_CONFIG -> "config";
      case MediaTypes.OCI_DESCRIPTOR -> "descriptor";
      case MediaTypes.OCI_LAYOUT_HEADER -> "oci-layout";
      default -> throw new InvalidArgumentException("validate: no schema for media type " + Values.quote(mediaType));
    };
  }
}
