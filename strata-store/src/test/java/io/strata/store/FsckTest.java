package io.strata.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsckTest {
  @TempDir Path dir;
  Store store;
  BlobInfo config;
  BlobInfo manifest;
  BlobInfo layer;

  @BeforeEach
  void populate() {
    store = Store.open(dir);
    config = put("{\"config\":1}");
    manifest = put("{\"manifest\":1}");
    layer = put("layer tar bytes");
    ImageRecord img = new ImageRecord(config.digest(), manifest.digest(), "application/vnd.oci.image.manifest.v1+json",
        manifest.size(), null, layer.size(), Instant.now());
    store.db().write(tx -> {
      store.images().put(tx, img, List.of(new LayerRecord(layer.digest(), layer.digest(),
          "application/vnd.oci.image.layer.v1.tar", layer.size(), layer.size())),
          Set.of(config.digest(), manifest.digest(), layer.digest()));
      store.images().tag(tx, "docker.io/library/x:latest", img.id());
      return null;
    });
  }

  @AfterEach
  void close() {
    store.close();
  }

  BlobInfo put(String s) {
    return store.content().put(s.getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void healthyStoreIsOk() {
    FsckReport r = store.fsck().run();
    assertTrue(r.ok(), r.problems().toString());
    assertEquals(3, r.blobsChecked());
  }

  @Test
  void corruptedByteAndDeletedBlobAreReported() throws Exception {
    Path layerFile = store.content().blobPath(layer.digest());
    byte[] bytes = Files.readAllBytes(layerFile);
    bytes[3] ^= 1;
    layerFile.toFile().setWritable(true);
    Files.write(layerFile, bytes);
    Files.delete(store.content().blobPath(manifest.digest()));

    FsckReport r = store.fsck().run();
    assertFalse(r.ok());
    assertEquals(2, r.blobsChecked());
    String all = String.join("\n", r.problems());
    assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("blob " + layer.digest() + ": content hashes to sha256:")), all);
    assertTrue(r.problems().stream().anyMatch(p -> p.equals("image " + config.digest() + ": manifest blob " + manifest.digest() + " is missing")), all);
    assertTrue(r.problems().stream().anyMatch(p -> p.equals("ref image " + config.digest() + ": blob " + manifest.digest() + " is missing")), all);
  }

  @Test
  void strayFilesAreReported() throws Exception {
    Path blobs = store.root().resolve("blobs");
    Files.writeString(blobs.resolve("sha256").resolve("not-a-digest"), "x");
    Files.writeString(blobs.resolve("sha256").resolve("ABCDEF".repeat(10) + "ABCD"), "x");
    Files.createDirectory(blobs.resolve("md5"));
    FsckReport r = store.fsck().run();
    assertEquals(3, r.problems().size(), r.problems().toString());
    assertTrue(r.problems().contains("stray file in blobs: sha256/not-a-digest"), r.problems().toString());
    assertTrue(r.problems().contains("stray file in blobs: md5"), r.problems().toString());
  }

  @Test
  void danglingReferencesAreReported() {
    Digest ghost = Digest.sha256("ghost".getBytes(StandardCharsets.UTF_8));
    store.db().write(tx -> {
      store.images().addRefs(tx, RefOwners.BUILD_CACHE, "step-1", List.of(ghost));
      store.images().addRefs(tx, RefOwners.IMAGE, ghost.toString(), List.of(layer.digest()));
      return null;
    });
    FsckReport r = store.fsck().run();
    assertEquals(List.of("ref build-cache step-1: blob " + ghost + " is missing", "ref image " + ghost + ": image is missing"),
        r.problems());
  }
}
