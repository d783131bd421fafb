package io.strata.oci;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the image-spec vectors ({@code testdata/oci-image-spec/cases.tsv}) and the Docker documents. */
class OciSpecCasesTest {
  private static final Path DIR = SharedTestData.dir("oci-image-spec");
  private static final Path DOCKER = DIR.resolve("docker-compat");

  static Stream<Arguments> cases() {
    var rows = SharedTestData.tsv(DIR.resolve("cases.tsv"));
    assertEquals(80, rows.size(), "cases.tsv row count");
    return rows.stream().map(r -> Arguments.of(r[3] + " " + r[0], r[0], r[2], r[3]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validatesLikeUpstream(String display, String file, String mediaType, String expected) {
    byte[] json = SharedTestData.bytes(DIR.resolve(file));
    if (expected.equals("valid")) {
      assertDoesNotThrow(() -> OciValidator.validate(json, mediaType));
    } else {
      assertEquals("invalid", expected);
      var e = assertThrows(InvalidArgumentException.class, () -> OciValidator.validate(json, mediaType));
      assertTrue(!e.getMessage().isBlank() && e.getMessage().indexOf('\n') < 0, e.getMessage());
    }
  }

  static Stream<Arguments> dockerDocuments() {
    return SharedTestData.tsv(DOCKER.resolve("digests.tsv")).stream()
        .map(r -> Arguments.of(r[0], r[1], r[2], Long.parseLong(r[3])));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dockerDocuments")
  void dockerDocumentsParseAndKeepTheirDigest(String file, String mediaType, String digest, long size) {
    byte[] raw = SharedTestData.bytes(DOCKER.resolve(file));
    assertEquals(size, raw.length);
    assertEquals(digest, Digest.sha256(raw).toString());
    Parsed<?> parsed = MediaTypes.isConfig(mediaType)
        ? Manifests.parseConfig(raw, mediaType)
        : Manifests.parse(raw, mediaType);
    assertEquals(digest, parsed.digest().toString());
    assertEquals(mediaType, parsed.mediaType());
    assertEquals(new String(raw, StandardCharsets.UTF_8), new String(parsed.raw(), StandardCharsets.UTF_8));
    switch (parsed.value()) {
      case ImageManifest m -> {
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
        assertEquals(4, m.layers().size());
        assertTrue(m.layers().stream().allMatch(l -> l.mediaType().equals(MediaTypes.DOCKER_LAYER_GZIP)));
      }
      case ImageIndex i -> assertTrue(i.manifests().stream().allMatch(d -> d.platform() != null));
      case ImageConfig c -> {
        assertEquals("linux", c.os());
        assertTrue(c.createdInstant() != null);
        assertTrue(!c.rootfs().diffIds().isEmpty());
      }
      default -> throw new AssertionError(parsed.value());
    }
  }

  /** Upstream validates Docker documents after replacing Docker media types by OCI ones textually. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dockerDocuments")
  void dockerDocumentsValidateAfterMediaTypeMapping(String file, String mediaType, String digest, long size) {
    String text = new String(SharedTestData.bytes(DOCKER.resolve(file)), StandardCharsets.UTF_8);
    for (String docker : new String[] {MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST,
        MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.DOCKER_CONFIG}) {
      text = text.replace(docker, MediaTypes.toOci(docker));
    }
    byte[] mapped = text.getBytes(StandardCharsets.UTF_8);
    String ociType = MediaTypes.toOci(mediaType);
    assertDoesNotThrow(() -> OciValidator.validate(mapped, ociType));
    // Docker media types are also accepted directly
    assertDoesNotThrow(() -> OciValidator.validate(SharedTestData.bytes(DOCKER.resolve(file)), mediaType));
  }

  @Test
  void dockerManifestListMapsToIndex() {
    var parsed = Manifests.parse(SharedTestData.bytes(DOCKER.resolve("manifest-list-1.json")), null);
    var index = assertInstanceOf(ImageIndex.class, parsed.value());
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, parsed.mediaType());
    assertEquals("ppc64le", index.manifests().getFirst().platform().architecture());
  }

  @Test
  void unknownMediaTypeHasNoSchema() {
    assertThrows(InvalidArgumentException.class, () -> OciValidator.validate("{}".getBytes(), "text/plain"));
  }
}
