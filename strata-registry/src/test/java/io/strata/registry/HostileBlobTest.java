package io.strata.registry;

import static io.strata.registry.FakeRegistry.image;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.strata.errdefs.DataLossException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.errdefs.StrataException;
import io.strata.layer.DiffIds;
import io.strata.oci.Digest;
import io.strata.oci.MediaTypes;
import io.strata.registry.FakeRegistry.TestImage;
import io.strata.store.LayerRecord;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blob transfer against a lying registry (SECURITY.md S22, S23, S28 foreign urls): bytes that do not
 * hash to the descriptor, more bytes than its size, fewer bytes then a close (resumed with a Range
 * request), hostile Content-Range answers, and a config blob larger than any config may be.
 */
class HostileBlobTest extends HostileRegistryBase {
  /** An incompressible layer of about 256 KiB, so a transfer can be cut in the middle. */
  static byte[] bigTar() {
    byte[] body = new byte[256 << 10];
    new Random(42).nextBytes(body);
    return TarFixture.of(TarFixture.file("noise", body, 0644)).bytes();
  }

  /** Runs {@code h} for GETs of blob {@code d} (any repository, not the CDN path). */
  void onBlobGet(Digest d, FakeRegistry.Hook h) {
    reg.hook((ex, r) -> r.method().equals("GET") && r.path().endsWith("/blobs/" + d) && h.handle(ex, r));
  }

  /** Declares all of {@code b}, sends its first {@code n} bytes, then drops the connection. */
  static boolean cutAfter(HttpExchange ex, byte[] b, int n) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(200, b.length);
    OutputStream out = ex.getResponseBody();
    out.write(b, 0, n);
    out.flush();
    pause(100); // let the client take the bytes before the connection drops
    throw new IOException("cut on purpose"); // the fixture closes the exchange: short body, connection closed
  }

  @Test
  void layerWhoseBytesDoNotHashToItsDigestIsRejectedAndNotKept() {
    TestImage img = image(tar("a", "the real content"));
    reg.put("repo", "t", img);
    Digest d = img.layerDigest(0);
    byte[] forged = img.layers().get(0).clone();
    forged[forged.length - 1] ^= 0x55;
    onBlobGet(d, (ex, r) -> {
      Headers h = new Headers();
      h.add("Docker-Content-Digest", d.toString()); // and the header lies too
      FakeRegistry.respond(ex, 200, h, forged);
      return true;
    });
    assertOneLine(DataLossException.class, () -> pull("repo:t"), d.toString(), sha256(forged).toString());
    assertClean(d, sha256(forged));
    assertNoPartial(d);
  }

  @Test
  void configWhoseBytesDoNotHashToItsDigestIsRejectedAndNotKept() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "t", img);
    byte[] forged = new String(img.config(), StandardCharsets.UTF_8).replace("\"sh\"", "\"id\"").getBytes(StandardCharsets.UTF_8);
    onBlobGet(img.configDigest(), (ex, r) -> {
      FakeRegistry.respond(ex, 200, null, forged);
      return true;
    });
    // the content store's documented kind for a mismatch at commit
    assertOneLine(DataLossException.class, () -> pull("repo:t"), img.configDigest().toString());
    assertClean(img.configDigest(), sha256(forged), img.layerDigest(0));
  }

  @Test
  void endlessBodyIsReadOnlyUpToTheDescriptorSizeAndAcceptedWhenThosePrefixBytesMatch() throws Exception {
    TestImage img = image(tar("a", "endless"));
    reg.put("repo", "t", img);
    Digest d = img.layerDigest(0);
    AtomicLong written = new AtomicLong(-1);
    CountDownLatch done = new CountDownLatch(1);
    onBlobGet(d, (ex, r) -> {
      written.set(reg.endless(ex, 200, 0, img.layers().get(0)));
      done.countDown();
      return true;
    });
    Puller.Result result = pull("repo:t");
    assertEquals(img.configDigest(), result.imageId());
    assertTrue(done.await(15, TimeUnit.SECONDS), "the server's endless write never ended: the client kept reading");
    assertTrue(written.get() < 32L << 20, "the client read on and on: the server wrote " + written.get() + " bytes");
    assertTrue(store.content().exists(d));
    assertTrue(store.fsck().run().ok());
  }

  @Test
  void moreBytesThanTheSizeWhoseFirstBytesAreWrongAreRejected() throws Exception {
    TestImage img = image(tar("a", "endless"));
    reg.put("repo", "t", img);
    Digest d = img.layerDigest(0);
    byte[] wrong = img.layers().get(0).clone();
    wrong[0] ^= 1;
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong written = new AtomicLong();
    onBlobGet(d, (ex, r) -> {
      written.set(reg.endless(ex, 200, 100L << 20, wrong)); // declared: 100 MiB for a descriptor of a few hundred bytes
      done.countDown();
      return true;
    });
    assertOneLine(DataLossException.class, () -> pull("repo:t"), d.toString());
    assertTrue(done.await(15, TimeUnit.SECONDS), "the client kept reading");
    assertTrue(written.get() < 32L << 20, "the server wrote " + written.get() + " bytes");
    assertClean(d);
    assertNoPartial(d);
  }

  @Test
  void truncatedLayerIsResumedWithARangeRequestFromTheBytesOnDisk() {
    TestImage img = image(bigTar());
    reg.put("repo", "t", img);
    Digest d = img.layerDigest(0);
    byte[] blob = img.layers().get(0);
    int half = blob.length / 2;
    AtomicInteger calls = new AtomicInteger();
    onBlobGet(d, (ex, r) -> calls.getAndIncrement() == 0 && cutAfter(ex, blob, half));
    Puller.Result result = pull("repo:t");
    assertEquals(img.configDigest(), result.imageId());
    List<FakeRegistry.Seen> gets = reg.seen("GET", ".*/blobs/" + d);
    assertEquals(2, gets.size(), "one cut transfer, one resumed: " + gets);
    String range = gets.get(1).header("Range");
    assertNotNull(range, "the retry asks for the rest only");
    Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(range);
    assertTrue(m.matches(), range);
    long from = Long.parseLong(m.group(1));
    assertTrue(from > 0 && from <= half, "resumed from the bytes on disk: " + range);
    assertTrue(store.content().exists(d));
    assertTrue(store.fsck().run().ok());
  }

  @Test
  void registryThatIgnoresTheRangeGetsTheWholeBlobWrittenFromTheStart() {
    TestImage img = image(bigTar());
    reg.put("repo", "t", img);
    Digest d = img.layerDigest(0);
    byte[] blob = img.layers().get(0);
    AtomicInteger calls = new AtomicInteger();
    onBlobGet(d, (ex, r) -> {
      if (calls.getAndIncrement() == 0) return cutAfter(ex, blob, blob.length / 3);
      FakeRegistry.respond(ex, 200, null, blob); // 200 and all of it, Range or not
      return true;
    });
    assertEquals(img.configDigest(), pull("repo:t").imageId());
    assertTrue(store.fsck().run().ok());
  }

  @Test
  void contentRangeThatDoesNotStartAtTheBytesOnDiskIsNotTrusted() {
    TestImage img = image(bigTar());
    reg.put("repo", "t", img);
    Digest d = img.layerDigest(0);
    byte[] blob = img.layers().get(0);
    AtomicInteger calls = new AtomicInteger();
    onBlobGet(d, (ex, r) -> switch (calls.getAndIncrement()) {
      case 0 -> cutAfter(ex, blob, blob.length / 2);
      case 1 -> { // claims to resume from 0 while sending the tail: appending it would corrupt the blob
        Headers h = new Headers();
        h.add("Content-Range", "bytes 0-" + (blob.length - 1) + "/" + blob.length);
        FakeRegistry.respond(ex, 206, h, Arrays.copyOfRange(blob, blob.length / 2, blob.length));
        yield true;
      }
      default -> false;
    });
    assertEquals(img.configDigest(), pull("repo:t").imageId());
    assertTrue(store.fsck().run().ok());
  }

  /** A Content-Range number too large for a long must be treated as malformed, not crash the pull. */
  @Test
  void contentRangeWithAnOverflowingNumberIsTreatedAsMalformed() {
    TestImage img = image(bigTar());
    reg.put("repo", "t", img);
    Digest d = img.layerDigest(0);
    byte[] blob = img.layers().get(0);
    AtomicInteger calls = new AtomicInteger();
    onBlobGet(d, (ex, r) -> switch (calls.getAndIncrement()) {
      case 0 -> cutAfter(ex, blob, blob.length / 2);
      case 1 -> {
        Headers h = new Headers();
        h.add("Content-Range", "bytes 99999999999999999999999-1/" + blob.length);
        FakeRegistry.respond(ex, 206, h, new byte[] {1, 2, 3});
        yield true;
      }
      default -> false;
    });
    assertDoesNotThrow(() -> pull("repo:t"), "the bad answer is retried from the start like any unexpected Content-Range");
    assertTrue(store.fsck().run().ok());
  }

  /** gzip without compression: the output's length depends on the input's length only. */
  static byte[] gzipStored(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out) {
      {
        def.setLevel(Deflater.NO_COMPRESSION);
      }
    }) {
      z.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A tar's entries without its two end-of-archive blocks. */
  static byte[] entriesOnly(byte[] tar) {
    return Arrays.copyOf(tar, tar.length - 1024);
  }

  /**
   * S25 (the bytes verified must be the bytes used), through a restarted transfer. The manifest names
   * blob B = gzip(P_E) + gzip(S) (content E); the config says diffID D, the content of
   * gzip(P_D) + gzip(S), where gzip(P_D) and gzip(P_E) have the same length h. The registry first sends
   * gzip(P_D) and drops the connection; asked for the rest with a Range, it ignores it and sends all of
   * B. The download restarts from byte 0 and B verifies, but whatever read the layer as it arrived
   * (the diffID check, or the unpack) has already taken h bytes of P_D and goes on with B's tail: it
   * sees D, which matches the config. The pull must fail (B is not D), or, if it succeeds, record only
   * layers whose stored blob really has the recorded diffID.
   */
  @ParameterizedTest(name = "unpack {0}")
  @ValueSource(booleans = {false, true})
  void bytesReadBeforeARestartedTransferAreNotSplicedWithTheNewOnes(boolean unpack) throws Exception {
    byte[] pd = entriesOnly(TarFixture.of(TarFixture.file("bin/sh", "D".repeat(4000), 0755)).bytes());
    byte[] pe = entriesOnly(TarFixture.of(TarFixture.file("bin/sh", "E".repeat(4000), 0755)).bytes());
    byte[] shared = TarFixture.of(TarFixture.file("etc/motd", "shared tail\n", 0644)).bytes();
    byte[] gzD = gzipStored(pd);
    byte[] gzE = gzipStored(pe);
    assertEquals(gzD.length, gzE.length);
    byte[] gzS = gzipStored(shared);
    byte[] blob = ByteBuffer.allocate(gzE.length + gzS.length).put(gzE).put(gzS).array();
    Digest contentD = sha256(ByteBuffer.allocate(pd.length + shared.length).put(pd).put(shared).array());
    byte[] config = FakeRegistry.configJson(List.of(contentD)).getBytes(StandardCharsets.UTF_8);
    byte[] manifest = FakeRegistry.manifestJson(config, List.of(blob)).getBytes(StandardCharsets.UTF_8);
    reg.put("repo", "t", new TestImage(config, List.of(blob), List.of(contentD), manifest, MediaTypes.OCI_MANIFEST));
    AtomicInteger calls = new AtomicInteger();
    onBlobGet(sha256(blob), (ex, r) -> {
      if (calls.getAndIncrement() == 0) {
        ex.sendResponseHeaders(200, blob.length);
        OutputStream out = ex.getResponseBody();
        out.write(gzD);
        out.flush();
        pause(300); // received (and read) before the connection drops
        throw new IOException("cut at the member boundary");
      }
      pause(700); // whatever reads the layer as it arrives has taken every byte on disk by now
      FakeRegistry.respond(ex, 200, null, blob); // the Range is ignored: all of B from byte 0
      return true;
    });
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    LayerUnpacker unpacker = unpack ? new MaliciousLayerPullTest.ApplyingUnpacker(rootfs) : LayerUnpacker.NONE;
    Puller.Result r;
    try {
      r = pull(client(), "repo:t", unpacker);
      assertEquals("bytes=" + gzD.length + "-", reg.seen("GET", ".*/blobs/" + sha256(blob)).get(1).header("Range"),
          "fixture: the cut transfer should have kept the first member");
    } catch (StrataException refused) {
      assertOneLine(refused);
      assertClean();
      return;
    }
    for (LayerRecord l : store.images().layers(r.imageId())) {
      try (InputStream in = store.content().open(l.blobDigest())) {
        assertEquals(l.diffId(), DiffIds.digest(in).diffId(),
            "recorded layer " + l.blobDigest() + " with diffID " + l.diffId() + ", but the stored blob's content is another");
      }
    }
  }

  static void pause(long ms) throws IOException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }

  /** The config is a blob too: a dropped connection is retried, not the end of the pull (nor an UncheckedIOException). */
  @Test
  void truncatedConfigIsRetried() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "t", img);
    AtomicInteger calls = new AtomicInteger();
    onBlobGet(img.configDigest(), (ex, r) -> calls.getAndIncrement() == 0 && cutAfter(ex, img.config(), img.config().length / 2));
    assertDoesNotThrow(() -> pull("repo:t"));
    assertTrue(store.fsck().run().ok());
  }

  /**
   * A config larger than any document strata parses (Json.MAX_DOCUMENT_BYTES, 8 MiB) is refused by its
   * descriptor's size, before it is downloaded into the store and read whole into memory (a descriptor
   * saying 3 GB would otherwise mean a 3 GB download and an OutOfMemoryError).
   */
  @Test
  void configLargerThanAnyConfigIsRefusedBeforeItIsDownloaded() {
    byte[] tar = tar("a", "x");
    byte[] layer = FakeRegistry.gzip(tar);
    String json = FakeRegistry.configJson(List.of(sha256(tar)));
    byte[] config = (json + " ".repeat(9 << 20)).getBytes(StandardCharsets.UTF_8);
    byte[] manifest = FakeRegistry.manifestJson(config, List.of(layer)).getBytes(StandardCharsets.UTF_8);
    reg.put("repo", "t", new TestImage(config, List.of(layer), List.of(sha256(tar)), manifest, MediaTypes.OCI_MANIFEST));
    assertOneLine(ResourceExhaustedException.class, () -> pull("repo:t"), sha256(config).toString());
    assertEquals(0, reg.count("GET", ".*/blobs/" + sha256(config)), "the oversized config was downloaded");
    assertClean(sha256(config));
  }

  /** S28: a layer's foreign urls are never fetched; the blob comes from the registry. */
  @Test
  void foreignLayerUrlsAreNeverFetched() {
    try (FakeRegistry cdn = new FakeRegistry()) {
      byte[] tar = tar("a", "foreign");
      byte[] layer = FakeRegistry.gzip(tar);
      cdn.putBlob(layer);
      byte[] config = FakeRegistry.configJson(List.of(sha256(tar))).getBytes(StandardCharsets.UTF_8);
      String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
          + FakeRegistry.descriptor(MediaTypes.OCI_CONFIG, sha256(config), config.length) + ",\"layers\":[{\"mediaType\":\""
          + MediaTypes.OCI_LAYER_NONDIST_GZIP + "\",\"digest\":\"" + sha256(layer) + "\",\"size\":" + layer.length
          + ",\"urls\":[\"" + cdn.base() + "/blob/" + sha256(layer) + "\"]}]}";
      reg.put("repo", "t", new TestImage(config, List.of(layer), List.of(sha256(tar)), manifest.getBytes(StandardCharsets.UTF_8),
          MediaTypes.OCI_MANIFEST));
      reg.auth = FakeRegistry.Auth.BASIC;
      Puller.Result r = assertDoesNotThrow(() -> pull(client(credentials()), "repo:t", LayerUnpacker.NONE));
      assertEquals(sha256(config), r.imageId());
      assertEquals(List.of(), cdn.requests, "the foreign url was fetched");
    }
  }

  /**
   * When one layer fails for good (here a 404), the pull ends with that error at once: the other
   * downloads are stopped rather than run to their end (a slow or endless one would hold the failed
   * pull for as long as the registry likes).
   */
  @Test
  void failedPullStopsItsOtherDownloads() throws Exception {
    byte[] slowTar = bigTar();
    TestImage img = image(List.of(tar("a", "missing"), slowTar), null);
    reg.put("repo", "t", img);
    Digest missing = img.layerDigest(0);
    Digest slow = img.layerDigest(1);
    byte[] slowBlob = img.layers().get(1);
    reg.hook((ex, r) -> {
      if (!r.method().equals("GET")) return false;
      if (r.path().endsWith("/blobs/" + missing)) {
        FakeRegistry.errorJson(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry");
        return true;
      }
      if (!r.path().endsWith("/blobs/" + slow)) return false;
      ex.sendResponseHeaders(200, slowBlob.length);
      OutputStream out = ex.getResponseBody();
      int chunk = slowBlob.length / 100; // about 5 s in all
      for (int off = 0; off < slowBlob.length; off += chunk) {
        out.write(slowBlob, off, Math.min(chunk, slowBlob.length - off));
        out.flush();
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      return true;
    });
    long t0 = System.nanoTime();
    assertOneLine(NotFoundException.class, () -> pull("repo:t"), missing.toString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertFalse(store.content().exists(slow), "the failed pull waited " + ms + " ms for the other layer's whole download");
    assertTrue(ms < 3000, "the failed pull took " + ms + " ms");
    assertClean();
    assertFalse(store.content().exists(missing));
  }
}
