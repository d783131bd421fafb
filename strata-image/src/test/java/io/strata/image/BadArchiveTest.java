package io.strata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.StrataException;
import io.strata.oci.Digest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each broken archive fails with one line naming the member and what is wrong, and leaves the
 * store exactly as it was (file listing, images, tags, leases, fsck), also when the archive's
 * blobs were already spooled before the problem showed.
 */
class BadArchiveTest {
  @TempDir Path tmp;
  ImageService service;

  record Case(String name, byte[] archive, String expectedMessagePart) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeEach
  void open() {
    service = ImageService.open(tmp.resolve("store"));
    // something already in the store: its blobs must survive every failed load
    var existing = TestArchives.image(List.of(TestArchives.base()), false, "existing:1");
    service.load(new ByteArrayInputStream(TestArchives.dockerArchive(false, existing)), ProgressListener.NONE);
  }

  @AfterEach
  void close() {
    service.close();
  }

  static Stream<Case> cases() {
    var img = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("bad")), false, "bad:1");
    byte[] good = TestArchives.dockerArchive(false, img);
    String configName = img.id().encoded() + ".json";
    String layer0 = img.diffIds().get(0).encoded() + "/layer.tar";
    String layer1 = img.diffIds().get(1).encoded() + "/layer.tar";

    Map<String, byte[]> missingLayer = new LinkedHashMap<>();
    missingLayer.put(configName, img.config());
    missingLayer.put(layer1, img.layers().get(1));
    byte[] missing = TestArchives.tar(false, missingLayer, manifest(configName, layer0, layer1));

    // the config names the layers in the wrong order: both diffIDs exist but disagree by position
    Map<String, byte[]> swapped = new LinkedHashMap<>();
    swapped.put(configName, img.config());
    swapped.put(layer0, img.layers().get(0));
    swapped.put(layer1, img.layers().get(1));
    byte[] disagree = TestArchives.tar(false, swapped, manifest(configName, layer1, layer0));

    byte[] duplicateKey = ("[{\"Config\":\"" + configName + "\",\"Config\":\"" + configName
        + "\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"" + layer0 + "\",\"" + layer1 + "\"]}]").getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> dupMembers = new LinkedHashMap<>(swapped);
    byte[] dup = TestArchives.tar(false, dupMembers, duplicateKey);

    Map<String, byte[]> wrongName = new LinkedHashMap<>();
    wrongName.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    wrongName.put("blobs/sha256/" + Digest.sha256(new byte[] {1}).encoded(), new byte[] {2});
    wrongName.put("index.json", "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8));

    return Stream.of(
        new Case("truncated archive", Arrays.copyOf(good, good.length / 2 + 100), "truncated"),
        new Case("manifest.json names a missing layer", missing,
            "load: manifest.json: layer \"" + layer0 + "\" not found in archive"),
        new Case("config diff_ids disagree with the layers", disagree, "rootfs.diff_ids[0]"),
        new Case("duplicate key in manifest.json", dup, "load: manifest.json: invalid JSON: Duplicate field"),
        new Case("blob whose content does not match its name", TestArchives.tar(wrongName), "content does not match its name"),
        new Case("not a tar at all", "hello, not an archive".getBytes(StandardCharsets.UTF_8), "load: "),
        new Case("no manifest.json nor index.json", TestArchives.tar(Map.of("x", new byte[] {1})), "neither manifest.json"));
  }

  private static byte[] manifest(String config, String... layers) {
    return ("[{\"Config\":\"" + config + "\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"" + String.join("\",\"", layers) + "\"]}]")
        .getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithOneLineAndLeavesTheStoreAsBefore(Case c) {
    StoreState before = StoreState.of(service);
    StrataException e = assertThrows(StrataException.class,
        () -> service.load(new ByteArrayInputStream(c.archive()), ProgressListener.NONE));
    assertTrue(e.getMessage().contains(c.expectedMessagePart()), e.getMessage());
    assertTrue(e.getMessage().startsWith("load: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    before.assertUnchanged(service);
    assertEquals(1, service.list(ImageService.ListOptions.defaults()).size());
  }
}
