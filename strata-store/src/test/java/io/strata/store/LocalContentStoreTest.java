package io.strata.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import io.strata.oci.Digester;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalContentStoreTest {
  @TempDir Path dir;
  Store store;
  ContentStore cs;

  @BeforeEach
  void open() {
    store = Store.open(dir.resolve("root"));
    cs = store.content();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putStoresReadOnlyBlobAtItsAddressAndReadsBack() throws IOException {
    byte[] data = bytes("hello strata");
    BlobInfo info = cs.put(data, null);
    assertEquals(Digest.sha256(data), info.digest());
    assertEquals(data.length, info.size());
    Path p = cs.blobPath(info.digest());
    assertEquals(store.root().resolve("blobs/sha256/" + info.digest().hex()), p);
    assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    try (InputStream in = cs.open(info.digest())) {
      assertArrayEquals(data, in.readAllBytes());
    }
    assertEquals(info, cs.info(info.digest()).orElseThrow());
    assertTrue(cs.exists(info.digest()));
    assertEquals(List.of(), listIngest(), "temp file left behind");
  }

  @Test
  void directoriesArePrivate() throws IOException {
    for (String d : List.of("", "blobs", "blobs/sha256", "ingest", "tmp")) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root().resolve(d))), d);
    }
  }

  @Test
  void putIsIdempotent() {
    byte[] data = bytes("same");
    BlobInfo a = cs.put(data, null);
    BlobInfo b = cs.put(data, null);
    assertEquals(a, b);
    List<BlobInfo> all = new ArrayList<>();
    cs.walk(all::add);
    assertEquals(List.of(a), all);
  }

  @Test
  void ingestVerifiesDigestAndSize() {
    byte[] data = bytes("layer bytes");
    Digest d = Digest.sha256(data);
    BlobInfo info = cs.ingest(new ByteArrayInputStream(data), d, data.length, null);
    assertEquals(new BlobInfo(d, data.length), info);
  }

  @Test
  void digestMismatchNamesBothAndCommitsNothing() throws IOException {
    byte[] data = bytes("served bytes");
    Digest claimed = Digest.sha256(bytes("manifest said this"));
    var e = assertThrows(FailedPreconditionException.class,
        () -> cs.ingest(new ByteArrayInputStream(data), claimed, data.length, null));
    assertTrue(e.getMessage().contains(claimed.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(Digest.sha256(data).toString()), e.getMessage());
    assertNothingStored();
  }

  @Test
  void endlessBodyStopsAtSizePlusOne() throws IOException {
    CountingEndless endless = new CountingEndless();
    var e = assertThrows(FailedPreconditionException.class, () -> cs.ingest(endless, null, 100, null));
    assertTrue(e.getMessage().contains("expected 100"), e.getMessage());
    assertTrue(e.getMessage().contains("101"), e.getMessage());
    assertEquals(101, endless.served);
    assertNothingStored();
  }

  @Test
  void shortBodyNamesBothSizes() throws IOException {
    byte[] data = bytes("short");
    var e = assertThrows(FailedPreconditionException.class,
        () -> cs.ingest(new ByteArrayInputStream(data), Digest.sha256(data), 100, null));
    assertTrue(e.getMessage().contains("expected 100 bytes, got 5"), e.getMessage());
    assertNothingStored();
  }

  @Test
  void ingestWithSha512Expectation() throws IOException {
    byte[] data = bytes("addressed by sha512");
    Digest d512 = Digester.sha512().update(data).digest();
    BlobInfo info = cs.ingest(new ByteArrayInputStream(data), d512, data.length, null);
    assertEquals(d512, info.digest());
    assertEquals(store.root().resolve("blobs/sha512/" + d512.hex()), cs.blobPath(d512));
    cs.verify(d512);
    Digest wrong512 = Digester.sha512().update(bytes("other")).digest();
    assertThrows(FailedPreconditionException.class,
        () -> cs.ingest(new ByteArrayInputStream(data), wrong512, data.length, null));
    assertFalse(cs.exists(wrong512));
  }

  @Test
  void writerCommitWithSha512ExpectationRehashes() throws IOException {
    byte[] data = bytes("written by a sha256 writer");
    Digest d512 = Digester.sha512().update(data).digest();
    try (BlobWriter w = cs.writer(null)) {
      w.stream().write(data);
      assertEquals(Digest.sha256(data), w.digest());
      assertEquals(d512, w.commit(data.length, d512).digest());
    }
    assertTrue(cs.exists(d512));
  }

  @Test
  void existingBlobIsNotReadAgain() {
    byte[] data = bytes("already here");
    BlobInfo info = cs.put(data, null);
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("should not be read");
      }
    };
    assertEquals(info, cs.ingest(failing, info.digest(), info.size(), null));
  }

  @Test
  void abandonedWriterIsInvisibleAndCloseDeletesTemp() throws IOException {
    byte[] data = bytes("half of a blob that never completes");
    Digest d = Digest.sha256(data);
    BlobWriter w = cs.writer(null);
    w.stream().write(data, 0, data.length / 2);
    assertEquals(data.length / 2, w.written());
    assertFalse(cs.exists(d));
    assertEquals(1, listIngest().size());
    assertThrows(NotFoundException.class, () -> cs.open(d));
    w.close();
    assertEquals(List.of(), listIngest());
    assertThrows(IllegalStateException.class, () -> w.stream().write(1));
  }

  @Test
  void reopenRemovesTempFilesOfDeadProcessesOnly() throws IOException {
    Path ingest = store.root().resolve("ingest");
    long deadPid = deadPid();
    Path stale = Files.write(ingest.resolve(deadPid + "-0123456789abcdef"), bytes("partial"));
    Path junk = Files.write(ingest.resolve("not-a-temp-name"), bytes("x"));
    BlobWriter live = cs.writer(null); // this process is alive: its temp file stays
    live.stream().write(bytes("in progress"));
    store.close();
    store = Store.open(dir.resolve("root"));
    assertFalse(Files.exists(stale));
    assertFalse(Files.exists(junk));
    assertEquals(1, listIngest().size());
    live.close();
  }

  @Test
  void verifyDetectsCorruption() throws IOException {
    BlobInfo info = cs.put(bytes("precious"), null);
    cs.verify(info.digest());
    Path p = cs.blobPath(info.digest());
    p.toFile().setWritable(true);
    Files.write(p, bytes("Precious"));
    assertThrows(DataLossException.class, () -> cs.verify(info.digest()));
  }

  @Test
  void hostileDigestsNeverReachAPath() {
    assertThrows(InvalidArgumentException.class, () -> cs.open(Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e")));
    assertThrows(InvalidArgumentException.class, () -> Digest.parse("sha256:../../../../tmp/x"));
    assertThrows(InvalidArgumentException.class,
        () -> cs.ingest(new ByteArrayInputStream(new byte[0]), new Digest("foo", "bar"), 0, null));
  }

  @Test
  void deleteIsIdempotent() {
    BlobInfo info = cs.put(bytes("gone soon"), null);
    cs.delete(info.digest());
    cs.delete(info.digest());
    assertFalse(cs.exists(info.digest()));
    assertTrue(cs.info(info.digest()).isEmpty());
  }

  void assertNothingStored() throws IOException {
    List<BlobInfo> all = new ArrayList<>();
    cs.walk(all::add);
    assertEquals(List.of(), all);
    assertEquals(List.of(), listIngest());
  }

  List<Path> listIngest() throws IOException {
    try (Stream<Path> s = Files.list(store.root().resolve("ingest"))) {
      return s.toList();
    }
  }

  static long deadPid() {
    long pid = 4_000_000; // above Linux's pid_max ceiling (2^22)
    while (ProcessHandle.of(pid).isPresent()) pid++;
    return pid;
  }

  static final class CountingEndless extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 'x');
      served += len;
      return len;
    }
  }
}
