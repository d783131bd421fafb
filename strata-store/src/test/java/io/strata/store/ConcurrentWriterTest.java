package io.strata.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.oci.Digest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    Path go = dir.resolve("go");
    List<Process> others = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      others.add(new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
          "--enable-native-access=ALL-UNNAMED", ConcurrentPut.class.getName(), root.toString(), go.toString(),
          String.valueOf(BLOBS))
          .redirectErrorStream(true).start());
    }
    try (Store store = Store.open(root); var lease = store.leases().create(java.time.Duration.ofMinutes(5))) {
      Files.createFile(go);
      for (int i = 0; i < BLOBS; i++) store.content().put(blob(i), lease);
      for (Process p : others) {
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "child process timed out");
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
      }
      assertStoredOnce(store);
      assertEquals(List.of(lease.id()), store.leases().list(), "children's leases are closed");
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
