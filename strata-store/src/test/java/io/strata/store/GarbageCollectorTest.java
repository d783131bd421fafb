package io.strata.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.oci.Digest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path dir;
  MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
  Store store;
  ContentStore cs;

  @BeforeEach
  void open() {
    store = Store.open(dir, clock);
    cs = store.content();
  }

  @AfterEach
  void close() {
    store.close();
  }

  BlobInfo blob(String s, Lease lease) {
    return cs.put(s.getBytes(StandardCharsets.UTF_8), lease);
  }

  /** Stores an image's blobs under a lease and records it, as a load does. */
  ImageRecord image(String name, BlobInfo... layers) {
    try (Lease lease = store.leases().create(Duration.ofHours(1))) {
      BlobInfo config = blob("config " + name, lease);
      BlobInfo manifest = blob("manifest " + name, lease);
      List<LayerRecord> records = Stream.of(layers)
          .map(l -> new LayerRecord(l.digest(), l.digest(), "application/vnd.oci.image.layer.v1.tar", l.size(), l.size()))
          .toList();
      ImageRecord img = new ImageRecord(config.digest(), manifest.digest(), "application/vnd.oci.image.manifest.v1+json",
          manifest.size(), null, 0, clock.instant());
      Set<Digest> all = Stream.concat(Stream.of(config.digest(), manifest.digest()), Stream.of(layers).map(BlobInfo::digest))
          .collect(Collectors.toSet());
      store.db().write(tx -> {
        store.images().put(tx, img, records, all);
        return null;
      });
      return img;
    }
  }

  @Test
  void deletingOneOfTwoImagesKeepsTheSharedBase() {
    BlobInfo base = blob("base layer", null);
    BlobInfo top1 = blob("top layer 1", null);
    BlobInfo top2 = blob("top layer 2", null);
    ImageRecord one = image("one", base, top1);
    ImageRecord two = image("two", base, top2);
    BlobInfo unreferenced = blob("never recorded", null);
    Lease live = store.leases().create(Duration.ofHours(1));
    BlobInfo leased = blob("being written", live);

    store.db().write(tx -> store.images().delete(tx, one.id()));
    GcReport report = store.gc().collect();

    List<Digest> expected = Stream.of(one.id(), one.manifestDigest(), top1.digest(), unreferenced.digest()).sorted().toList();
    assertEquals(expected, report.deleted());
    long reclaimed = "config one".length() + "manifest one".length() + top1.size() + unreferenced.size();
    assertEquals(reclaimed, report.reclaimedBytes());
    for (Digest kept : List.of(base.digest(), top2.digest(), two.id(), two.manifestDigest(), leased.digest())) {
      assertTrue(cs.exists(kept), kept.toString());
    }
    assertTrue(store.fsck().run().ok(), store.fsck().run().problems().toString());

    live.close();
    assertEquals(List.of(leased.digest()), store.gc().collect().deleted());
    assertEquals(List.of(), store.gc().collect().deleted());
  }

  @Test
  void expiredLeaseProtectsNothing() {
    Lease lease = store.leases().create(Duration.ofMinutes(5));
    BlobInfo b = blob("short-lived", lease);
    clock.advance(Duration.ofMinutes(4));
    assertEquals(List.of(), store.gc().collect().deleted());
    clock.advance(Duration.ofMinutes(2));
    assertEquals(List.of(b.digest()), store.gc().collect().deleted());
    assertEquals(List.of(), store.leases().list());
    assertThrows(FailedPreconditionException.class, () -> blob("too late", lease));
    assertFalse(cs.exists(Digest.sha256("too late".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void reopenDropsExpiredLeases() {
    store.leases().create(Duration.ofMinutes(1));
    Lease keep = store.leases().create(Duration.ofHours(1));
    store.close();
    clock.advance(Duration.ofMinutes(2));
    store = Store.open(dir, clock);
    assertEquals(List.of(keep.id()), store.leases().list());
    int rows = store.db().read(tx -> tx.queryFirst("SELECT count(*) FROM leases", rs -> rs.getInt(1)).orElseThrow());
    assertEquals(1, rows);
  }

  @Test
  void existingBlobIngestedUnderLeaseBecomesProtected() {
    BlobInfo b = blob("shared", null);
    try (Lease lease = store.leases().create(Duration.ofHours(1))) {
      byte[] data = "shared".getBytes(StandardCharsets.UTF_8);
      cs.ingest(new ByteArrayInputStream(data), b.digest(), data.length, lease);
      assertEquals(List.of(), store.gc().collect().deleted());
    }
    assertEquals(List.of(b.digest()), store.gc().collect().deleted());
  }

  @Test
  void gcRemovesOrphanTempFiles() throws Exception {
    Path stale = Files.writeString(store.root().resolve("ingest").resolve(LocalContentStoreTest.deadPid() + "-00000000000000ff"), "x");
    try (BlobWriter live = cs.writer(null)) {
      live.stream().write(1);
      store.gc().collect();
      assertFalse(Files.exists(stale));
      try (Stream<Path> s = Files.list(store.root().resolve("ingest"))) {
        assertEquals(1, s.count(), "live writer's temp file must stay");
      }
    }
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
