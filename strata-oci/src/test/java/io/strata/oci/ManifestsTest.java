package io.strata.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {
  private static final Descriptor CONFIG =
      Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256("config".getBytes(StandardCharsets.UTF_8)), 6);
  private static final Descriptor LAYER =
      Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256("layer".getBytes(StandardCharsets.UTF_8)), 5);
  private static final String D = ConfigJsonTest.descriptorJson();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parseKeepsTheOriginalBytes() {
    byte[] raw = utf8("{\n  \"schemaVersion\" : 2,\n  \"config\": " + D + ",\n  \"layers\": [ " + D + " ],\n"
        + "  \"unknownField\": {\"kept\": true}\n}\n");
    Parsed<ManifestDocument> p = Manifests.parse(raw, MediaTypes.OCI_MANIFEST);
    assertArrayEquals(raw, p.raw());
    assertEquals(Digest.sha256(raw), p.digest());
    assertEquals(MediaTypes.OCI_MANIFEST, p.mediaType());
    ImageManifest m = assertInstanceOf(ImageManifest.class, p.value());
    assertEquals(null, m.mediaType(), "the document's own field stays as written");
    assertEquals(1, m.layers().size());
  }

  @Test
  void ofSerialisesOnceAndParsesBackToTheSameDigest() {
    ImageManifest m = ImageManifest.of(null, CONFIG, List.of(LAYER))
        .withAnnotations(Map.of("org.opencontainers.image.ref.name", "v1"));
    Parsed<ImageManifest> written = Manifests.of(m, MediaTypes.OCI_MANIFEST);
    assertEquals(MediaTypes.OCI_MANIFEST, written.value().mediaType(), "mediaType is written into new documents");
    Parsed<ManifestDocument> reread = Manifests.parse(written.raw(), MediaTypes.OCI_MANIFEST);
    assertEquals(written.digest(), reread.digest());
    assertEquals(written.value(), reread.value());
    assertEquals(written.descriptor(), Descriptor.of(MediaTypes.OCI_MANIFEST, reread.digest(), reread.size()));
    String json = new String(written.raw(), StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"), json);
    assertTrue(!json.contains("urls") && !json.contains("subject") && !json.contains("artifactType"), json);
  }

  @Test
  void ofRefusesAMediaTypeThatDisagreesWithTheDocument() {
    ImageManifest docker = ImageManifest.of(MediaTypes.DOCKER_MANIFEST, CONFIG, List.of(LAYER));
    assertThrows(InvalidArgumentException.class, () -> Manifests.of(docker, MediaTypes.OCI_MANIFEST));
    ImageIndex index = ImageIndex.of(null, List.of());
    assertThrows(InvalidArgumentException.class, () -> Manifests.of(index, MediaTypes.OCI_MANIFEST));
  }

  @Test
  void dockerIndexRoundTrip() {
    Descriptor entry = Descriptor.of(MediaTypes.DOCKER_MANIFEST, LAYER.digest(), 5)
        .withPlatform(Platform.of("linux", "arm64", "v8"));
    Parsed<ImageIndex> list = Manifests.of(ImageIndex.of(MediaTypes.DOCKER_MANIFEST_LIST, List.of(entry)),
        MediaTypes.DOCKER_MANIFEST_LIST);
    Parsed<ManifestDocument> reread = Manifests.parse(list.raw(), null);
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, reread.mediaType());
    assertEquals("arm64", ((ImageIndex) reread.value()).manifests().getFirst().platform().architecture());
  }

  @Test
  void ambiguousDocumentsAreRejected() {
    // S26 / CVE-2021-41190: manifests together with config/layers, no mediaType
    byte[] both = utf8("{\"schemaVersion\":2,\"config\":" + D + ",\"layers\":[" + D + "],\"manifests\":[" + D + "]}");
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(both, null));
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(both, MediaTypes.OCI_MANIFEST));
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(both, MediaTypes.OCI_INDEX));
    assertThrows(InvalidArgumentException.class, () -> OciValidator.validate(both, MediaTypes.OCI_MANIFEST));
    assertThrows(InvalidArgumentException.class, () -> OciValidator.validate(both, MediaTypes.OCI_INDEX));
    byte[] indexWithLayers = utf8("{\"schemaVersion\":2,\"manifests\":[],\"layers\":[" + D + "]}");
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(indexWithLayers, MediaTypes.OCI_INDEX));
  }

  @Test
  void declaredMediaTypeMustAgreeWithTheDocument() {
    byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}");
    var e = assertThrows(InvalidArgumentException.class, () -> Manifests.parse(index, MediaTypes.OCI_MANIFEST));
    assertTrue(e.getMessage().contains("disagrees"), e.getMessage());
    assertInstanceOf(ImageIndex.class, Manifests.parse(index, MediaTypes.OCI_INDEX).value());
    // a manifest-shaped document declared as an index (no mediaType field) is refused by the index schema
    byte[] manifest = utf8("{\"schemaVersion\":2,\"config\":" + D + ",\"layers\":[]}");
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(manifest, MediaTypes.OCI_INDEX));
    // a Docker manifest served as OCI
    byte[] docker = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":"
        + D + ",\"layers\":[]}");
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(docker, MediaTypes.OCI_MANIFEST));
  }

  @Test
  void unsupportedManifestKindsAreRejected() {
    byte[] schema1 = utf8("{\"schemaVersion\":1,\"name\":\"x\",\"tag\":\"latest\",\"fsLayers\":[]}");
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(schema1, null));
    assertThrows(InvalidArgumentException.class,
        () -> Manifests.parse(schema1, "application/vnd.docker.distribution.manifest.v1+prettyjws"));
    byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(config, MediaTypes.OCI_CONFIG));
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(utf8("[]"), null));
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(utf8(""), null));
  }

  @Test
  void aManifestWithoutLayersParsesButIsNotSchemaValid() {
    byte[] raw = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":"
        + D + ",\"layers\":[]}");
    assertEquals(List.of(), ((ImageManifest) Manifests.parse(raw, null).value()).layers());
    assertThrows(InvalidArgumentException.class, () -> OciValidator.validate(raw, MediaTypes.DOCKER_MANIFEST));
  }

  @Test
  void layerAndEntryCountsAreBounded() {
    String layer = D;
    String layers = String.join(",", Collections.nCopies(ImageManifest.MAX_LAYERS + 1, layer));
    byte[] many = utf8("{\"schemaVersion\":2,\"config\":" + D + ",\"layers\":[" + layers + "]}");
    assertThrows(ResourceExhaustedException.class, () -> Manifests.parse(many, MediaTypes.OCI_MANIFEST));
    String at = String.join(",", Collections.nCopies(ImageManifest.MAX_LAYERS, layer));
    Manifests.parse(utf8("{\"schemaVersion\":2,\"config\":" + D + ",\"layers\":[" + at + "]}"), MediaTypes.OCI_MANIFEST);

    String entries = String.join(",", Collections.nCopies(ImageIndex.MAX_MANIFESTS + 1, D));
    byte[] index = utf8("{\"schemaVersion\":2,\"manifests\":[" + entries + "]}");
    assertThrows(ResourceExhaustedException.class, () -> Manifests.parse(index, MediaTypes.OCI_INDEX));

    List<Descriptor> tooMany = new ArrayList<>(Collections.nCopies(ImageManifest.MAX_LAYERS + 1, LAYER));
    assertThrows(ResourceExhaustedException.class, () -> ImageManifest.of(null, CONFIG, tooMany));
  }

  @Test
  void documentSizeIsBounded() {
    byte[] huge = new byte[Json.MAX_DOCUMENT_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThrows(ResourceExhaustedException.class, () -> Manifests.parse(huge, null));
    assertThrows(ResourceExhaustedException.class, () -> Manifests.parseConfig(huge));
    assertThrows(ResourceExhaustedException.class, () -> OciValidator.validate(huge, MediaTypes.OCI_MANIFEST));
  }

  @Test
  void deepNestingIsBounded() {
    String deep = "[".repeat(1000) + "]".repeat(1000);
    byte[] raw = utf8("{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"a\":" + deep + "}}");
    assertThrows(InvalidArgumentException.class, () -> Manifests.parse(raw, MediaTypes.OCI_INDEX));
  }

  @Test
  void parsedRefusesBytesThatDoNotMatchItsDigest() {
    assertThrows(InvalidArgumentException.class,
        () -> new Parsed<>("x", utf8("abc"), Digest.sha256(utf8("abd")), "text/plain"));
    byte[] raw = utf8("{}");
    Parsed<String> p = Parsed.of("x", raw, "text/plain");
    raw[0] = 'X';
    p.raw()[1] = 'Y';
    assertArrayEquals(utf8("{}"), p.raw(), "raw bytes cannot be changed from outside");
  }

  @Test
  void descriptorValidatesOnConstruction() {
    Digest d = LAYER.digest();
    assertThrows(InvalidArgumentException.class, () -> Descriptor.of("invalid", d, 1));
    assertThrows(InvalidArgumentException.class, () -> Descriptor.of(MediaTypes.OCI_LAYER, d, -1));
    assertThrows(InvalidArgumentException.class, () -> Descriptor.of(MediaTypes.OCI_LAYER, null, 1));
    assertThrows(InvalidArgumentException.class,
        () -> new Descriptor("text/plain", d, 1, null, null, null, null, "YQ"));
    assertEquals("YQ==", new Descriptor("text/plain", d, 1, null, null, null, null, "YQ==").data());
  }
}
