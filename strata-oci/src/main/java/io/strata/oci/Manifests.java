package io.strata.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;

/**
 * Reading and writing manifests, indexes and configs. Parsing keeps the original bytes (digests
 * are always over stored bytes); {@link #of} serialises a new document exactly once.
 *
 * <p>Documents are checked against the schema before binding, with two strata rules on top:
 * a document whose kind is ambiguous is refused (CVE-2021-41190: {@code manifests} together
 * with {@code config}/{@code layers}, or a declared media type that disagrees with the
 * {@code mediaType} field), and counts are bounded ({@link ImageManifest#MAX_LAYERS},
 * {@link ImageIndex#MAX_MANIFESTS}, {@link Json#MAX_DOCUMENT_BYTES}: ResourceExhaustedException).
 * Unlike the strict schema, a manifest with no layers parses: Docker writes those.
 */
public final class Manifests {
  private Manifests() {}

  /**
   * Parses a manifest or index (OCI or Docker v2 schema 2).
   *
   * @param declaredMediaType what the source said the document is (registry Content-Type,
   *     descriptor mediaType), or null
   */
  public static Parsed<ManifestDocument> parse(byte[] raw, String declaredMediaType) {
    Digest digest = Digest.sha256(raw);
    String what = "manifest " + digest;
    JsonNode node = SchemaCheck.object(Json.readTree(raw, what), what);
    String mediaType = resolveMediaType(node, emptyToNull(declaredMediaType), what);
    ManifestDocument doc;
    if (MediaTypes.isIndex(mediaType)) {
      ManifestSchema.index(node, what);
      doc = Json.bind(node, ImageIndex.class, what);
    } else {
      ManifestSchema.manifest(node, false, what);
      doc = Json.bind(node, ImageManifest.class, what);
    }
    return new Parsed<>(doc, raw, digest, mediaType);
  }

  /** Parses an image config; the result's media type is {@link MediaTypes#OCI_CONFIG}. */
  public static Parsed<ImageConfig> parseConfig(byte[] raw) {
    return parseConfig(raw, MediaTypes.OCI_CONFIG);
  }

  /** Parses an image config that a descriptor of {@code mediaType} (OCI or Docker) points at. */
  public static Parsed<ImageConfig> parseConfig(byte[] raw, String mediaType) {
    Digest digest = Digest.sha256(raw);
    String what = "config " + digest;
    JsonNode node = Json.readTree(raw, what);
    ConfigSchema.check(node, what);
    return new Parsed<>(Json.bind(node, ImageConfig.class, what), raw, digest, mediaType);
  }

  /**
   * Serialises a new manifest, index or config once and keeps those bytes. A manifest or index
   * without a {@code mediaType} field gets {@code mediaType} written into it (Docker requires the
   * field; OCI recommends it).
   */
  @SuppressWarnings("unchecked")
  public static <T> Parsed<T> of(T value, String mediaType) {
    T doc = switch (value) {
      case ImageManifest m when m.mediaType() == null -> (T) new ImageManifest(
          m.schemaVersion(), mediaType, m.artifactType(), m.config(), m.layers(), m.subject(), m.annotations());
      case ImageIndex i when i.mediaType() == null -> (T) new ImageIndex(
          i.schemaVersion(), mediaType, i.artifactType(), i.manifests(), i.subject(), i.annotations());
      default -> value;
    };
    byte[] raw = Json.write(doc);
    check(doc, raw, mediaType);
    return Parsed.of(doc, raw, mediaType);
  }

  /** New documents obey the same rules as parsed ones. */
  private static void check(Object doc, byte[] raw, String mediaType) {
    String what = "new " + (mediaType == null ? "document" : mediaType);
    JsonNode node = Json.readTree(raw, what);
    switch (doc) {
      case ManifestDocument m -> {
        if (!mediaType.equals(m.mediaType()) || !kindMatches(m, mediaType)) {
          throw new InvalidArgumentException(what + ": document mediaType " + Values.quote(m.mediaType()) + " disagrees");
        }
        if (m instanceof ImageIndex) ManifestSchema.index(node, what);
        else ManifestSchema.manifest(node, false, what);
      }
      case ImageConfig c -> ConfigSchema.check(node, what);
      default -> { }
    }
  }

  private static boolean kindMatches(ManifestDocument m, String mediaType) {
    return m instanceof ImageIndex ? MediaTypes.isIndex(mediaType) : MediaTypes.isManifest(mediaType);
  }

  /** The one media type the document can be, or InvalidArgument when that is ambiguous. */
  private static String resolveMediaType(JsonNode node, String declared, String what) {
    String field = emptyToNull(SchemaCheck.string(node, "mediaType", false, what));
    if (declared != null && field != null && !declared.equals(field)) {
      throw new InvalidArgumentException(what + ": declared media type " + Values.quote(declared)
          + " disagrees with the document's mediaType " + Values.quote(field));
    }
    String mediaType = field != null ? field : declared != null ? declared : infer(node, what);
    if (!MediaTypes.isManifest(mediaType) && !MediaTypes.isIndex(mediaType)) {
      throw new InvalidArgumentException(what + ": unsupported manifest media type " + Values.quote(mediaType));
    }
    return mediaType;
  }

  /** Only for OCI documents without mediaType and without a declared type. */
  private static String infer(JsonNode node, String what) {
    boolean index = node.has("manifests");
    boolean manifest = node.has("config") || node.has("layers");
    if (index == manifest) {
      throw new InvalidArgumentException(what + ": cannot tell a manifest from an index (no mediaType)");
    }
    return index ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
