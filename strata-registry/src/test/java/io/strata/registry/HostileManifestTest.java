package io.strata.registry;

import static io.strata.registry.FakeRegistry.descriptor;
import static io.strata.registry.FakeRegistry.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.errdefs.StrataException;
import io.strata.oci.MediaTypes;
import io.strata.oci.Platform;
import io.strata.registry.FakeRegistry.TestImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Manifests, indexes and configs from a lying registry (SECURITY.md S21, S24–S27): digests that do
 * not match, malformed digest strings, ambiguous and duplicate-key documents, documents over 4 MiB,
 * schema 1, an index without the platform, configs that disagree with their manifest or their layers.
 */
class HostileManifestTest extends HostileRegistryBase {
  static final String HEX = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";
  static final String OTHER_PLATFORM = Platform.current().architecture().equals("ppc64le") ? "linux/s390x" : "linux/ppc64le";

  /** Serves {@code body} with {@code contentType} (null: none) for GETs of manifest {@code ref} of repo. */
  void onManifest(String ref, byte[] body, String contentType, String digestHeader) {
    reg.hook((ex, r) -> {
      if (!r.method().equals("GET") || !r.path().equals("/v2/repo/manifests/" + ref)) return false;
      FakeRegistry.serveManifest(ex, r, body, contentType, digestHeader);
      return true;
    });
  }

  // ---- digests (S22, S27) ----

  @Test
  void pullByDigestRejectsBytesThatHashToAnotherDigest() {
    TestImage img = image(tar("a", "wanted"));
    TestImage other = image(tar("a", "served instead"));
    reg.put("repo", "t", img);
    reg.put("repo", "other", other);
    onManifest(img.digest().toString(), other.manifest(), MediaTypes.OCI_MANIFEST, img.digest().toString());
    assertOneLine(DataLossException.class, () -> pull("repo@" + img.digest()), img.digest().toString(), other.digest().toString());
    assertClean(img.digest(), other.digest(), img.configDigest(), other.configDigest());
  }

  @Test
  void dockerContentDigestThatDisagreesWithTheBytesIsRejected() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "t", img);
    onManifest("t", img.manifest(), MediaTypes.OCI_MANIFEST, "sha256:" + HEX);
    assertOneLine(DataLossException.class, () -> pull("repo:t"), "sha256:" + HEX, img.digest().toString());
    assertClean(img.digest(), img.configDigest());
  }

  static Stream<String> malformedDigests() {
    return Stream.of(
        "sha256:../../../../tmp/x",
        "sha256:" + HEX.toUpperCase(java.util.Locale.ROOT),
        "sha256:" + HEX.substring(1),
        "sha256:" + HEX + "00",
        "md5:" + HEX.substring(0, 32),
        "sha512:" + HEX,
        "sha256:" + HEX.substring(0, 61) + "%2F",
        "sha256:" + HEX.substring(0, 60) + "/../",
        "sha256:",
        ":" + HEX,
        "SHA256:" + HEX);
  }

  @ParameterizedTest(name = "Docker-Content-Digest {0}")
  @MethodSource("malformedDigests")
  void malformedDockerContentDigestIsRejected(String bad) {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "t", img);
    onManifest("t", img.manifest(), MediaTypes.OCI_MANIFEST, bad);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "Docker-Content-Digest");
    assertClean(img.digest(), img.configDigest());
  }

  enum Where { CONFIG, LAYER, INDEX_ENTRY }

  static Stream<Arguments> malformedDigestPlaces() {
    return malformedDigests().filter(d -> !d.startsWith(":") && !d.startsWith("SHA") && !d.endsWith("00") && !d.endsWith("/../")
            && !d.endsWith("%2F"))
        .flatMap(d -> Stream.of(Where.values()).map(w -> Arguments.of(w, d)));
  }

  /**
   * S27: a malformed or unsupported digest anywhere in a document fails the pull before the digest is
   * used in any URL (no request carries it) or store path.
   */
  @ParameterizedTest(name = "{0} digest {1}")
  @MethodSource("malformedDigestPlaces")
  void malformedDigestInADocumentIsRejectedBeforeItIsUsed(Where where, String bad) {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "real", img);
    String config = where == Where.CONFIG ? "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + bad + "\",\"size\":"
        + img.config().length + "}" : descriptor(MediaTypes.OCI_CONFIG, img.configDigest(), img.config().length);
    String layer = where == Where.LAYER ? "{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + bad + "\",\"size\":"
        + img.layers().get(0).length + "}" : descriptor(MediaTypes.OCI_LAYER_GZIP, img.layerDigest(0), img.layers().get(0).length);
    byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + config
        + ",\"layers\":[" + layer + "]}");
    if (where == Where.INDEX_ENTRY) {
      Platform p = Platform.current();
      byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
          + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + bad + "\",\"size\":" + img.manifest().length
          + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + p.architecture() + "\""
          + (p.variant() == null ? "" : ",\"variant\":\"" + p.variant() + "\"") + "}}]}");
      reg.putManifest("repo", "t", index, MediaTypes.OCI_INDEX);
    } else {
      reg.putManifest("repo", "t", manifest, MediaTypes.OCI_MANIFEST);
    }
    StrataException e = assertThrows(StrataException.class, () -> pull("repo:t"));
    String encodedPart = bad.substring(bad.indexOf(':') + 1).replace("%2F", "");
    for (FakeRegistry.Seen s : reg.requests) {
      assertTrue(encodedPart.isEmpty() || !s.path().contains(encodedPart) || s.path().endsWith("/manifests/t"),
          "the digest " + bad + " was used in a request (" + s + ") before it was checked; the pull then failed with: " + e);
    }
    assertInstanceOf(InvalidArgumentException.class, e);
    assertOneLine(e, "digest");
    assertClean(img.digest(), img.layerDigest(0));
  }

  // ---- ambiguous and duplicate-key documents (S25, S26) ----

  static Stream<Arguments> ambiguousDocuments() {
    TestImage img = image(tar("a", "x"));
    String config = descriptor(MediaTypes.OCI_CONFIG, img.configDigest(), img.config().length);
    String layers = "[" + descriptor(MediaTypes.OCI_LAYER_GZIP, img.layerDigest(0), img.layers().get(0).length) + "]";
    String manifests = "[" + descriptor(MediaTypes.OCI_MANIFEST, img.digest(), img.manifest().length) + "]";
    String both = "\"config\":" + config + ",\"layers\":" + layers + ",\"manifests\":" + manifests;
    return Stream.of(
        Arguments.of("no mediaType, no Content-Type", "{\"schemaVersion\":2," + both + "}", null),
        Arguments.of("no mediaType, application/json", "{\"schemaVersion\":2," + both + "}", "application/json"),
        Arguments.of("no mediaType, served as a manifest", "{\"schemaVersion\":2," + both + "}", MediaTypes.OCI_MANIFEST),
        Arguments.of("no mediaType, served as an index", "{\"schemaVersion\":2," + both + "}", MediaTypes.OCI_INDEX),
        Arguments.of("manifest mediaType with manifests",
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"," + both + "}", MediaTypes.OCI_MANIFEST),
        Arguments.of("index mediaType with layers",
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"," + both + "}", MediaTypes.OCI_INDEX),
        Arguments.of("Content-Type index, mediaType manifest",
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":" + layers + "}",
            MediaTypes.OCI_INDEX),
        Arguments.of("Content-Type Docker manifest, mediaType OCI manifest",
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":" + config + ",\"layers\":" + layers + "}",
            MediaTypes.DOCKER_MANIFEST));
  }

  /** S26, CVE-2021-41190: a document that could be read as a manifest or as an index is refused. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguousDocuments")
  void ambiguousDocumentIsRefused(String name, String body, String contentType) {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "real", img);
    reg.putManifest("repo", "t", utf8(body), contentType);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "manifest");
    assertClean(sha256(utf8(body)), img.digest());
  }

  /** S25, CVE-2014-8179: duplicate keys are refused, so the bytes verified are the object used. */
  @Test
  void manifestWithDuplicateKeysIsRefused() {
    TestImage img = image(tar("a", "x"));
    TestImage evil = image(tar("a", "evil"));
    reg.put("repo", "real", img);
    reg.put("repo", "evil", evil);
    String m = new String(img.manifest(), StandardCharsets.UTF_8);
    String dup = m.substring(0, m.length() - 1) + ",\"layers\":["
        + descriptor(MediaTypes.OCI_LAYER_GZIP, evil.layerDigest(0), evil.layers().get(0).length) + "]}";
    reg.putManifest("repo", "t", utf8(dup), MediaTypes.OCI_MANIFEST);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "layers");
    assertClean(sha256(utf8(dup)), evil.layerDigest(0), img.layerDigest(0));
  }

  @Test
  void configWithDuplicateKeysIsRefused() {
    byte[] tar = tar("a", "x");
    byte[] layer = FakeRegistry.gzip(tar);
    String c = FakeRegistry.configJson(List.of(sha256(tar)));
    byte[] config = utf8(c.substring(0, c.length() - 1) + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    byte[] manifest = utf8(FakeRegistry.manifestJson(config, List.of(layer)));
    reg.put("repo", "t", new TestImage(config, List.of(layer), List.of(), manifest, MediaTypes.OCI_MANIFEST));
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "config", "rootfs");
    assertClean(sha256(layer));
  }

  // ---- size (S21) ----

  static byte[] paddedManifest(TestImage img, int size) {
    String m = new String(img.manifest(), StandardCharsets.UTF_8);
    return utf8(m + " ".repeat(size - m.length()));
  }

  @Test
  void manifestOver4MiBDeclaredByContentLengthIsRefused() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "real", img);
    byte[] big = paddedManifest(img, (4 << 20) + 1);
    reg.putManifest("repo", "t", big, MediaTypes.OCI_MANIFEST);
    assertOneLine(ResourceExhaustedException.class, () -> pull("repo:t"), "4194304", reg.host() + "/repo:t");
    assertClean(sha256(big), img.configDigest());
  }

  @Test
  void manifestOver4MiBChunkedWithoutALengthIsRefused() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "real", img);
    byte[] big = paddedManifest(img, 5 << 20);
    reg.hook((ex, r) -> {
      if (!r.path().equals("/v2/repo/manifests/t")) return false;
      ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
      ex.sendResponseHeaders(200, 0); // chunked
      ex.getResponseBody().write(big);
      return true;
    });
    assertOneLine(ResourceExhaustedException.class, () -> pull("repo:t"), "4194304", reg.host() + "/repo:t");
    assertClean(sha256(big), img.configDigest());
  }

  @Test
  void endlessManifestIsReadNoFurtherThanTheBound() throws Exception {
    AtomicLong written = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    reg.hook((ex, r) -> {
      if (!r.path().equals("/v2/repo/manifests/t")) return false;
      written.set(reg.endless(ex, 200, 0, utf8("{\"schemaVersion\":2,\"layers\":[")));
      done.countDown();
      return true;
    });
    assertOneLine(ResourceExhaustedException.class, () -> pull("repo:t"), "4194304");
    assertTrue(done.await(15, TimeUnit.SECONDS), "the client kept reading");
    assertTrue(written.get() < 32L << 20, "the server wrote " + written.get() + " bytes");
    assertClean();
  }

  /** S21: 5,000 layers (well under 4 MiB of JSON) are refused before any blob is fetched. */
  @Test
  void manifestWithThousandsOfLayersIsRefused() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "real", img);
    String layer = descriptor(MediaTypes.OCI_LAYER_GZIP, img.layerDigest(0), img.layers().get(0).length);
    byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + descriptor(MediaTypes.OCI_CONFIG, img.configDigest(), img.config().length) + ",\"layers\":["
        + String.join(",", java.util.Collections.nCopies(5000, layer)) + "]}");
    reg.putManifest("repo", "t", manifest, MediaTypes.OCI_MANIFEST);
    assertOneLine(ResourceExhaustedException.class, () -> pull("repo:t"), "5000");
    assertEquals(0, reg.count("GET", ".*/blobs/.*"));
    assertClean(sha256(manifest));
  }

  /** S21: an index of 20,000 entries (under 4 MiB) is refused. */
  @Test
  void indexWithTensOfThousandsOfEntriesIsRefused() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "img", img);
    byte[] one = FakeRegistry.index(List.of(img), List.of(OTHER_PLATFORM));
    String entry = new String(one, StandardCharsets.UTF_8).replaceAll(".*\\[(.*)\\].*", "$1");
    byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
        + String.join(",", java.util.Collections.nCopies(20_000, entry)) + "]}");
    assertTrue(index.length < 4 << 20, "fixture under 4 MiB: " + index.length);
    reg.putManifest("repo", "t", index, MediaTypes.OCI_INDEX);
    assertOneLine(ResourceExhaustedException.class, () -> pull("repo:t"), "20000");
    assertClean(sha256(index));
  }

  // ---- schema 1 ----

  static final String SCHEMA1 = "{\"schemaVersion\": 1, \"name\": \"repo\", \"tag\": \"t\", \"architecture\": \"amd64\","
      + " \"fsLayers\": [{\"blobSum\": \"sha256:" + HEX + "\"}], \"history\": [{\"v1Compatibility\": \"{}\"}]}";

  @ParameterizedTest(name = "Content-Type {0}")
  @ValueSource(strings = {"application/vnd.docker.distribution.manifest.v1+prettyjws",
      "application/vnd.docker.distribution.manifest.v1+json", "application/json", ""})
  void schema1ManifestIsRefusedClearly(String contentType) {
    reg.putManifest("repo", "t", utf8(SCHEMA1), contentType.isEmpty() ? null : contentType);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "schema 1", "repo:t");
    assertClean(sha256(utf8(SCHEMA1)));
  }

  // ---- indexes ----

  @Test
  void indexWithoutThePlatformSaysSo() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "other", img);
    byte[] index = FakeRegistry.index(List.of(img, img), List.of("windows/" + Platform.current().architecture(), OTHER_PLATFORM));
    reg.putManifest("repo", "t", index, MediaTypes.OCI_INDEX);
    assertOneLine(NotFoundException.class, () -> pull("repo:t"), "no matching manifest for " + Platform.current());
    assertEquals(0, reg.count("GET", ".*/blobs/.*"));
    assertClean(img.digest(), sha256(index));
  }

  @Test
  void indexWhoseEntryIsAnotherIndexIsRefused() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "img", img);
    byte[] inner = FakeRegistry.index(List.of(img), List.of(Platform.current().toString()));
    reg.putManifest("repo", null, inner, MediaTypes.OCI_INDEX);
    TestImage innerAsImage = new TestImage(new byte[0], List.of(), List.of(), inner, MediaTypes.OCI_MANIFEST);
    byte[] outer = FakeRegistry.index(List.of(innerAsImage), List.of(Platform.current().toString()));
    reg.putManifest("repo", "t", outer, MediaTypes.OCI_INDEX);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"));
    assertClean(sha256(inner), sha256(outer));
  }

  @Test
  void indexEntryWhoseSizeIsWrongIsRejected() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "img", img);
    String index = new String(FakeRegistry.index(List.of(img), List.of(Platform.current().toString())), StandardCharsets.UTF_8)
        .replace("\"size\":" + img.manifest().length, "\"size\":" + (img.manifest().length + 1));
    reg.putManifest("repo", "t", utf8(index), MediaTypes.OCI_INDEX);
    assertOneLine(DataLossException.class, () -> pull("repo:t"), "size");
    assertClean(img.configDigest());
  }

  @Test
  void indexEntryWhoseBytesDoNotMatchIsRejected() {
    TestImage img = image(tar("a", "x"));
    TestImage other = image(tar("a", "y"));
    reg.put("repo", "img", img);
    byte[] index = FakeRegistry.index(List.of(img), List.of(Platform.current().toString()));
    reg.putManifest("repo", "t", index, MediaTypes.OCI_INDEX);
    onManifest(img.digest().toString(), other.manifest(), MediaTypes.OCI_MANIFEST, img.digest().toString());
    assertOneLine(DataLossException.class, () -> pull("repo:t"), img.digest().toString());
    assertClean(img.configDigest(), other.configDigest(), other.digest());
  }

  // ---- config against manifest and layers (S24) ----

  @Test
  void configWithMoreDiffIdsThanTheManifestHasLayersIsRefused() {
    byte[] a = tar("a", "x");
    TestImage img = image(List.of(a), List.of(sha256(a), sha256(tar("b", "y"))));
    reg.put("repo", "t", img);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "1 layers", "2 diff_ids");
    assertEquals(0, reg.count("GET", ".*/blobs/" + img.layerDigest(0)), "layers fetched for an inconsistent image");
    assertClean(img.layerDigest(0));
  }

  @Test
  void configWithFewerDiffIdsThanTheManifestHasLayersIsRefused() {
    byte[] a = tar("a", "x");
    byte[] b = tar("b", "y");
    TestImage img = image(List.of(a, b), List.of(sha256(a)));
    reg.put("repo", "t", img);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "2 layers", "1 diff_ids");
    assertClean(img.layerDigest(0), img.layerDigest(1));
  }

  /** S24: the layer's uncompressed content is checked against the config even when nothing unpacks it. */
  @Test
  void layerWhoseContentIsNotItsDiffIdIsRejectedWithoutAnUnpacker() {
    byte[] real = tar("etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    byte[] claimed = tar("etc/passwd", "something else\n");
    TestImage img = image(List.of(real), List.of(sha256(claimed)));
    reg.put("repo", "t", img);
    assertOneLine(DataLossException.class, () -> pull("repo:t"), img.layerDigest(0).toString(), sha256(claimed).toString(),
        sha256(real).toString());
    assertClean();
  }

  /**
   * S24 cache poisoning (CVE-2014-8178 class): the user has a popular base (diffID D1). An attacker's
   * first image brings blob B2 (honestly, with its own diffID D2). The attacker's second image names
   * diffID D1 for that same stored blob B2. The blob is not downloaded again, and the pull must still
   * check that B2 really is D1 rather than trust that "some layer with diffID D1 is known".
   */
  @Test
  void storedBlobIsNotTrustedForAnotherImagesDiffId() {
    byte[] popular = tar("bin/sh", "the real shell");
    byte[] payload = tar("bin/sh", "the attacker's shell");
    TestImage base = image(popular);
    TestImage first = image(payload);
    TestImage poisoned = image(List.of(payload), List.of(sha256(popular)));
    reg.put("library/base", "1", base);
    reg.put("evil", "1", first);
    reg.put("evil", "2", poisoned);
    pull("library/base:1");
    pull("evil:1");
    assertOneLine(DataLossException.class, () -> pull("evil:2"), first.layerDigest(0).toString(), sha256(popular).toString());
    assertEquals(Optional.empty(), store.images().resolveTag(reg.ref("evil:2").toString()), "the poisoned image was recorded");
    assertEquals(2, store.images().list().size());
    assertTrue(store.fsck().run().ok());
  }

  @Test
  void layerWithANonLayerMediaTypeIsRefused() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "real", img);
    byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + descriptor(MediaTypes.OCI_CONFIG, img.configDigest(), img.config().length) + ",\"layers\":["
        + descriptor("application/vnd.evil.payload+sh", img.layerDigest(0), img.layers().get(0).length) + "]}");
    reg.putManifest("repo", "t", manifest, MediaTypes.OCI_MANIFEST);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "application/vnd.evil.payload+sh");
    assertEquals(0, reg.count("GET", ".*/blobs/" + img.layerDigest(0)));
    assertClean(img.layerDigest(0));
  }

  @Test
  void htmlInsteadOfAManifestIsRefused() {
    byte[] html = utf8("<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>\n");
    reg.putManifest("repo", "t", html, "text/html");
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "manifest");
    reg.putManifest("repo", "t", html, null);
    assertOneLine(InvalidArgumentException.class, () -> pull("repo:t"), "manifest");
    assertClean(sha256(html));
  }
}
