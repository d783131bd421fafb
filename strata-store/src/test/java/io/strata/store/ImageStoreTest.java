package io.strata.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

  @TempDir Path dir;
  Store store;
  ImageStore images;

  @BeforeEach
  void open() {
    store = Store.open(dir);
    images = store.images();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Digest d(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  static ImageRecord image(String config, String created) {
    return new ImageRecord(d(config), d("manifest of " + config), MANIFEST, 500,
        created == null ? null : Instant.parse(created), 1234, Instant.parse("2024-05-01T10:00:00.123456789Z"));
  }

  static LayerRecord layer(String name) {
    return new LayerRecord(d("diff " + name), d("blob " + name), LAYER, 100, 300);
  }

  @Test
  void putGetAndLayersInOrder() {
    ImageRecord img = image("cfg1", "2023-01-02T03:04:05.000000006Z");
    List<LayerRecord> layers = List.of(layer("c"), layer("a"), layer("b"));
    store.db().write(tx -> {
      images.put(tx, img, layers, Set.of(img.id(), img.manifestDigest()));
      return null;
    });
    assertEquals(img, images.get(img.id()).orElseThrow());
    assertEquals(layers, images.layers(img.id()));
    assertEquals(layers.get(1), images.layerByDiffId(d("diff a")).orElseThrow());
    assertEquals(List.of(img), images.list());
    assertTrue(images.get(d("other")).isEmpty());
  }

  @Test
  void findByIdPrefix() {
    ImageRecord a = image("a", null);
    ImageRecord b = image("b", null);
    store.db().write(tx -> {
      images.put(tx, a, List.of(), Set.of());
      images.put(tx, b, List.of(), Set.of());
      return null;
    });
    assertEquals(List.of(a), images.findByIdPrefix(a.id().hex().substring(0, 5)));
    assertEquals(List.of(a), images.findByIdPrefix("sha256:" + a.id().hex().substring(0, 12)));
    assertEquals(List.of(), images.findByIdPrefix(""));
    assertEquals(List.of(), images.findByIdPrefix("sha256:"));
    assertEquals(List.of(), images.findByIdPrefix("%"));
    assertEquals(List.of(), images.findByIdPrefix("XYZ"));
  }

  @Test
  void tagsMoveAndResolve() {
    ImageRecord a = image("a", null);
    ImageRecord b = image("b", null);
    store.db().write(tx -> {
      images.put(tx, a, List.of(), Set.of());
      images.put(tx, b, List.of(), Set.of());
      images.tag(tx, "docker.io/library/busybox:latest", a.id());
      images.tag(tx, "docker.io/library/busybox:1", a.id());
      images.tag(tx, "docker.io/library/busybox:latest", b.id()); // moves
      return null;
    });
    assertEquals(b.id(), images.resolveTag("docker.io/library/busybox:latest").orElseThrow());
    assertEquals(List.of("docker.io/library/busybox:1"), images.tags(a.id()));
    assertEquals(Map.of(a.id(), List.of("docker.io/library/busybox:1"), b.id(), List.of("docker.io/library/busybox:latest")),
        images.allTags());
    assertEquals(true, store.db().write(tx -> images.untag(tx, "docker.io/library/busybox:1")));
    assertEquals(false, store.db().write(tx -> images.untag(tx, "docker.io/library/busybox:1")));
    assertThrows(NotFoundException.class, () -> store.db().write(tx -> {
      images.tag(tx, "x:y", d("nothing"));
      return null;
    }));
  }

  @Test
  void rePutKeepsTagsAndReplacesLayersAndRefs() {
    ImageRecord a = image("a", null);
    store.db().write(tx -> {
      images.put(tx, a, List.of(layer("1"), layer("2")), Set.of(d("x")));
      images.tag(tx, "r:t", a.id());
      images.put(tx, a, List.of(layer("3")), Set.of(d("y")));
      return null;
    });
    assertEquals(List.of(layer("3")), images.layers(a.id()));
    assertEquals(List.of("r:t"), images.tags(a.id()));
    assertEquals(List.of(d("y")), store.db().read(tx -> images.refs(tx, RefOwners.IMAGE, a.id().toString())));
  }

  @Test
  void deleteRemovesLayersTagsAndRefs() {
    ImageRecord a = image("a", null);
    store.db().write(tx -> {
      images.put(tx, a, List.of(layer("1")), Set.of(d("x")));
      images.tag(tx, "r:t", a.id());
      return null;
    });
    assertEquals(true, store.db().write(tx -> images.delete(tx, a.id())));
    assertTrue(images.get(a.id()).isEmpty());
    assertEquals(List.of(), images.layers(a.id()));
    assertTrue(images.resolveTag("r:t").isEmpty());
    assertEquals(List.of(), store.db().read(tx -> images.refs(tx, RefOwners.IMAGE, a.id().toString())));
  }

  @Test
  void oneCommandIsOneTransaction() {
    ImageRecord a = image("a", null);
    assertThrows(IllegalStateException.class, () -> store.db().write(tx -> {
      images.put(tx, a, List.of(layer("1")), Set.of(d("x")));
      images.tag(tx, "r:t", a.id());
      throw new IllegalStateException("command failed half-way");
    }));
    assertTrue(images.get(a.id()).isEmpty());
    assertTrue(images.resolveTag("r:t").isEmpty());
    assertEquals(List.of(), images.layers(a.id()));
  }

  @Test
  void recordsSurviveReopen() {
    ImageRecord a = image("a", "2020-01-01T00:00:00Z");
    store.db().write(tx -> {
      images.put(tx, a, List.of(layer("1")), Set.of());
      images.tag(tx, "r:t", a.id());
      return null;
    });
    store.close();
    store = Store.open(dir);
    assertEquals(a, store.images().get(a.id()).orElseThrow());
    assertEquals(List.of("r:t"), store.images().tags(a.id()));
  }

  @Test
  void listIsNewestFirstToTheNanosecondWithUndatedLast() {
    ImageRecord whole = image("whole", "2023-01-02T03:04:05Z");
    ImageRecord half = image("half", "2023-01-02T03:04:05.5Z");
    ImageRecord older = image("older", "2022-12-31T23:59:59.999999999Z");
    ImageRecord undated = image("undated", null);
    store.db().write(tx -> {
      for (ImageRecord r : List.of(undated, whole, older, half)) images.put(tx, r, List.of(), Set.of());
      return null;
    });
    assertEquals(List.of(half, whole, older, undated), images.list());
  }
}
