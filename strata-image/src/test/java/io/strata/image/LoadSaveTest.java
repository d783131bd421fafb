package io.strata.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Digest;
import io.strata.oci.ImageManifest;
import io.strata.oci.Json;
import io.strata.oci.MediaTypes;
import io.strata.store.LayerRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** load and save over a real store: docker-archive and OCI layout, round trips, shared layers. */
class LoadSaveTest {
  @TempDir Path tmp;
  ImageService service;

  @BeforeEach
  void open() {
    service = ImageService.open(tmp.resolve("store"));
  }

  @AfterEach
  void close() {
    service.close();
  }

  private LoadResult load(ImageService s, byte[] archive) {
    return s.load(new ByteArrayInputStream(archive), ProgressListener.NONE);
  }

  private byte[] save(ImageService s, SaveFormat format, String... names) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.save(List.of(names), format, out);
    return out.toByteArray();
  }

  private static List<Digest> diffIds(Image image) {
    return image.layers().stream().map(LayerRecord::diffId).toList();
  }

  @Test
  void loadsDockerArchiveWithDockersImageIdAndTags() {
    var img = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("v1")), true, "demo/app:1.0", "busybox");
    LoadResult r = load(service, TestArchives.dockerArchive(false, img));
    assertEquals(List.of(img.id()), r.loadedIds());
    assertEquals(List.of("demo/app:1.0", "busybox:latest"), r.loadedRefs());
    Image loaded = service.resolve("docker.io/library/busybox:latest");
    assertEquals(img.id(), loaded.id());
    assertEquals(img.diffIds(), diffIds(loaded));
    assertEquals(List.of("demo/app:1.0", "busybox:latest"), loaded.repoTags(), "sorted by full reference");
    // the synthesised manifest is Docker v2 schema 2 over the gzip blobs as stored
    ImageManifest m = (ImageManifest) loaded.manifest().value();
    assertEquals(MediaTypes.DOCKER_MANIFEST, loaded.manifest().mediaType());
    assertEquals(MediaTypes.DOCKER_LAYER_GZIP, m.layers().getFirst().mediaType());
    assertEquals(Digest.sha256(img.layers().getFirst()), m.layers().getFirst().digest());
    assertEquals(TestArchives.base().length, loaded.layers().getFirst().uncompressedSize());
    assertTrue(service.fsck().ok());
  }

  @Test
  void manifestFirstOrLastLoadsTheSame() {
    var img = TestArchives.image(List.of(TestArchives.base()), false, "a:1");
    assertEquals(List.of(img.id()), load(service, TestArchives.dockerArchive(true, img)).loadedIds());
    try (ImageService other = ImageService.open(tmp.resolve("other"))) {
      assertEquals(List.of(img.id()), load(other, TestArchives.dockerArchive(false, img)).loadedIds());
      assertEquals(service.resolve("a:1").manifest().digest(), other.resolve("a:1").manifest().digest());
    }
  }

  @Test
  void loadSaveLoadKeepsIdsAndLayerDigests() {
    var one = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("v1")), true, "demo/one:latest");
    var two = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("v2")), false, "demo/two:latest");
    load(service, TestArchives.dockerArchive(false, one, two));
    for (SaveFormat format : SaveFormat.values()) {
      byte[] archive = save(service, format, "demo/one", "demo/two");
      try (ImageService other = ImageService.open(tmp.resolve("reload-" + format))) {
        LoadResult r = load(other, archive);
        assertEquals(List.of(one.id(), two.id()), r.loadedIds(), format.name());
        assertEquals(List.of("demo/one:latest", "demo/two:latest"), r.loadedRefs(), format.name());
        assertEquals(diffIds(service.resolve("demo/one")), diffIds(other.resolve("demo/one")));
        assertEquals(one.diffIds(), diffIds(other.resolve("demo/one")));
        assertEquals(two.diffIds(), diffIds(other.resolve("demo/two")));
        assertTrue(other.fsck().ok());
        // a second round trip is byte-identical: the archive is a function of the images
        assertArrayEquals(archive, save(other, format, "demo/one", "demo/two"), format.name());
      }
    }
  }

  @Test
  void dockerSaveHoldsManifestJsonAndOciLayoutWithUncompressedLayers() {
    var img = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("v1")), true, "demo/app:1.0");
    load(service, TestArchives.dockerArchive(false, img));
    Map<String, byte[]> members = TestArchives.members(save(service, SaveFormat.DOCKER, "demo/app:1.0"));
    assertTrue(members.containsKey("oci-layout") && members.containsKey("index.json") && members.containsKey("repositories"));
    JsonNode manifest = Json.readTree(members.get("manifest.json"), "manifest.json").get(0);
    assertEquals("blobs/sha256/" + img.id().encoded(), manifest.get("Config").asText());
    assertEquals("demo/app:1.0", manifest.get("RepoTags").get(0).asText());
    for (int i = 0; i < img.diffIds().size(); i++) {
      String layer = manifest.get("Layers").get(i).asText();
      assertEquals("blobs/sha256/" + img.diffIds().get(i).encoded(), layer);
      assertEquals(img.diffIds().get(i), Digest.sha256(members.get(layer)), "layer is uncompressed");
    }
    JsonNode index = Json.readTree(members.get("index.json"), "index.json");
    JsonNode entry = index.get("manifests").get(0);
    assertEquals("docker.io/demo/app:1.0", entry.get("annotations").get("io.containerd.image.name").asText());
    assertEquals("1.0", entry.get("annotations").get("org.opencontainers.image.ref.name").asText());
    byte[] ociManifest = members.get("blobs/sha256/" + Digest.parse(entry.get("digest").asText()).encoded());
    JsonNode om = Json.readTree(ociManifest, "oci manifest");
    assertEquals(MediaTypes.OCI_MANIFEST, om.get("mediaType").asText());
    assertEquals(MediaTypes.OCI_LAYER, om.get("layers").get(0).get("mediaType").asText());
    assertEquals(img.id().toString(), om.get("config").get("digest").asText());
    JsonNode repos = Json.readTree(members.get("repositories"), "repositories");
    assertEquals(img.diffIds().getLast().encoded(), repos.get("demo/app").get("1.0").asText());
  }

  @Test
  void savingTwoImagesWritesTheSharedLayerOnce() {
    var one = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("v1")), false, "one:1");
    var two = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("v2")), false, "two:1");
    load(service, TestArchives.dockerArchive(false, one, two));
    for (SaveFormat format : SaveFormat.values()) {
      Map<String, byte[]> members = TestArchives.members(save(service, format, "one:1", "two:1")); // fails on a duplicate
      long layers = members.keySet().stream().filter(n -> n.startsWith("blobs/")).count();
      assertEquals(3 + 2 + 2, layers, format + ": 3 distinct layers, 2 configs, 2 manifests");
    }
  }

  @Test
  void ociSaveKeepsStoredBlobsAndAnOciManifest() {
    var img = TestArchives.image(List.of(TestArchives.base()), true, "gz:1");
    load(service, TestArchives.dockerArchive(false, img));
    Map<String, byte[]> members = TestArchives.members(save(service, SaveFormat.OCI, "gz:1"));
    assertFalse(members.containsKey("manifest.json"));
    assertTrue(members.containsKey("blobs/sha256/" + Digest.sha256(img.layers().getFirst()).encoded()), "gzip blob as stored");
  }

  @Test
  void docker25ArchiveWithSymlinkedLayersLoads() {
    var img = TestArchives.image(List.of(TestArchives.base()), false, "linked:1");
    String layerHex = img.diffIds().getFirst().encoded();
    String manifest = "[{\"Config\":\"blobs/sha256/" + img.id().encoded() + "\",\"RepoTags\":[\"linked:1\"],"
        + "\"Layers\":[\"" + layerHex + "/layer.tar\"]}]";
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("blobs/sha256/" + img.id().encoded(), img.config());
    members.put("blobs/sha256/" + layerHex, img.layers().getFirst());
    members.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
    byte[] plain = TestArchives.tar(members);
    // append a symlink member "<hex>/layer.tar -> ../blobs/sha256/<hex>" before the end blocks
    byte[] withLink = TarWithLink.append(plain, layerHex + "/layer.tar", "../blobs/sha256/" + layerHex);
    assertEquals(List.of(img.id()), load(service, withLink).loadedIds());
  }

  @Test
  void gzipCompressedArchiveLoads() {
    var img = TestArchives.image(List.of(TestArchives.base()), false, "zipped:1");
    assertEquals(List.of(img.id()), load(service, TestArchives.gzip(TestArchives.dockerArchive(false, img))).loadedIds());
  }

  @Test
  void zstdCompressedArchiveLoads() throws java.io.IOException {
    var img = TestArchives.image(List.of(TestArchives.base()), false, "zstd:1");
    ByteArrayOutputStream zstd = new ByteArrayOutputStream();
    try (var out = io.strata.layer.Compression.ZSTD.compress(zstd)) {
      out.write(TestArchives.dockerArchive(false, img));
    }
    assertEquals(List.of(img.id()), load(service, zstd.toByteArray()).loadedIds());
  }

  @Test
  void loadingTwiceIsIdempotentAndUnusedMembersLeaveNoBlob() {
    var img = TestArchives.image(List.of(TestArchives.base()), true, "again:1");
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put(img.id().encoded() + ".json", img.config());
    members.put("layer0/layer.tar", img.layers().getFirst());
    members.put("unused/extra.bin", "not referenced by any image".getBytes(StandardCharsets.UTF_8));
    String manifest = "[{\"Config\":\"" + img.id().encoded() + ".json\",\"RepoTags\":[\"again:1\"],"
        + "\"Layers\":[\"layer0/layer.tar\"]}]";
    byte[] archive = TestArchives.tar(false, members, manifest.getBytes(StandardCharsets.UTF_8));
    load(service, archive);
    StoreState first = StoreState.of(service);
    assertFalse(service.store().content().exists(Digest.sha256("not referenced by any image".getBytes(StandardCharsets.UTF_8))));
    load(service, archive);
    assertEquals(first.files(), StoreState.of(service).files());
    assertEquals(List.of(), service.store().leases().list());
  }

  @Test
  void untaggedImageLoadsAsDangling() {
    var img = TestArchives.image(List.of(TestArchives.base()), false);
    LoadResult r = load(service, TestArchives.dockerArchive(false, img));
    assertEquals(List.of(), r.loadedRefs());
    assertEquals(List.of(img.id()), r.loadedIds());
    assertTrue(service.list(ImageService.ListOptions.defaults()).getFirst().dangling());
  }
}
