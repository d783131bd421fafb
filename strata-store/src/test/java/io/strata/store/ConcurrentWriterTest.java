package io.strata.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.oci.Digest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentWriterTest {
  static final int BLOBS = 20;

  @TempDir Path dir;

  /** Blob {@code i}: a few hundred KiB, so writes overlap. */
  static byte[] blob(int i) {
    byte[] b = new byte[256 * 1024 + i];
    Arrays.fill(b, (byte) i);
    b[0] = (byte) 0xAB;
    return b;
  }

  static Digest digest(int i) {
    return Digest.sha256(blob(i));
  }

  @Test
  void threadsWritingTheSameBlobsAllSucceedAndStoreThemOnce() throws Exception {
    try (Store store = Store.open(dir); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<BlobInfo>>> results = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        boolean streaming = t % 2 == 0;
        results.add(pool.submit(() -> {
          start.await();
          List<BlobInfo> got = new ArrayList<>();
          for (int i = 0; i < BLOBS; i++) {
            byte[] data = blob(i);
            got.add(streaming
                ? store.content().ingest(new ByteArrayInputStream(data), null, -1, null)
                : store.content().put(data, null));
          }
          return got;
        }));
      }
      start.countDown();
      for (Future<List<BlobInfo>> f : results) {
        List<BlobInfo> got = f.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < BLOBS; i++) assertEquals(digest(i), got.get(i).digest());
      }
      assertStoredOnce(store);
    }
  }

  @Test
  void twoProcessesAndThisOneWritingTheSameBlobs() throws Exception {
    Path root = dir.resolve("store");
    Path signals = Files.createDirectory(dir.resolve("signals"));
    List<Process> others = List.of(child("race", root, signals), child("race", root, signals));
    try (Store store = Store.open(root); var lease = store.leases().create(Duration.ofMinutes(5))) {
      awaitReady(signals, others);
      Files.createFile(signals.resolve("go"));
      for (int i = 0; i < BLOBS; i++) store.content().put(blob(i), lease);
      for (Process p : others) {
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "child process timed out");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
      }
      assertStoredOnce(store);
      assertEquals(List.of(lease.id()), store.leases().list(), "children's leases are closed");
    }
  }

  @Test
  void killedWriterLeavesNoVisibleBlobAndItsTempFileIsCleanedOnOpen() throws Exception {
    Path root = dir.resolve("store");
    Path signals = Files.createDirectory(dir.resolve("signals"));
    Process writer = child("crash", root, signals);
    awaitReady(signals, List.of(writer));
    Path ingest = root.resolve("ingest");
    try (Stream<Path> s = Files.list(ingest)) {
      assertEquals(1, s.count(), "the half-written temp file");
    }
    try (Store store = Store.open(root)) { // the writer is alive: its temp file stays
      assertFalse(store.content().exists(digest(0)));
      try (Stream<Path> s = Files.list(ingest)) {
        assertEquals(1, s.count());
      }
    }
    writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no cleanup runs
    try (Store store = Store.open(root)) {
      assertFalse(store.content().exists(digest(0)));
      try (Stream<Path> s = Files.list(ingest)) {
        assertEquals(List.of(), s.toList());
      }
      assertTrue(store.fsck().run().ok());
    }
  }

  @Test
  void gcRunningBesideLeasedWritesNeverLosesABlob() throws Exception {
    Path root = dir.resolve("store");
    try (Store writer = Store.open(root); Store collector = Store.open(root);
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      AtomicBoolean writing = new AtomicBoolean(true);
      Future<Integer> gc = pool.submit(() -> {
        int runs = 0;
        while (writing.get()) {
          collector.gc().collect();
          runs++;
          Thread.sleep(2); // SQLite's busy wait is not fair: let the writer in
        }
        return runs;
      });
      try (Lease lease = writer.leases().create(Duration.ofMinutes(5))) {
        try {
          for (int i = 0; i < BLOBS; i++) {
            BlobInfo b = writer.content().ingest(new ByteArrayInputStream(blob(i)), null, -1, lease);
            assertTrue(writer.content().exists(b.digest()), "blob " + i + " lost after commit");
          }
        } finally {
          writing.set(false);
        }
        assertTrue(gc.get(60, TimeUnit.SECONDS) > 0);
        for (int i = 0; i < BLOBS; i++) writer.content().verify(digest(i));
      }
      assertEquals(BLOBS, writer.gc().collect().deleted().size());
    }
  }

  static Process child(String mode, Path root, Path signals) throws Exception {
    return new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
        "--enable-native-access=ALL-UNNAMED", ConcurrentPut.class.getName(), mode, root.toString(),
        signals.toString(), String.valueOf(BLOBS))
        .redirectErrorStream(true).start();
  }

  static void awaitReady(Path signals, List<Process> children) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Process p : children) {
      Path ready = signals.resolve("ready-" + p.pid());
      while (!Files.exists(ready)) {
        if (!p.isAlive()) throw new AssertionError("child exited: " + new String(p.getInputStream().readAllBytes()));
        if (System.nanoTime() > deadline) throw new AssertionError("child not ready in time");
        Thread.sleep(10);
      }
    }
  }

  static void assertStoredOnce(Store store) throws Exception {
    List<BlobInfo> stored = new ArrayList<>();
    store.content().walk(stored::add);
    assertEquals(BLOBS, stored.size());
    for (int i = 0; i < BLOBS; i++) store.content().verify(digest(i));
    try (Stream<Path> ingest = Files.list(store.root().resolve("ingest"))) {
      assertEquals(List.of(), ingest.toList(), "temp files left behind");
    }
    FsckReport fsck = store.fsck().run();
    assertTrue(fsck.ok(), fsck.problems().toString());
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
