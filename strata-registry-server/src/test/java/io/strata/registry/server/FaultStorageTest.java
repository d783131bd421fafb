package io.strata.registry.server;

import static io.strata.registry.server.ClientTestTools.http;
import static io.strata.registry.server.ClientTestTools.location;
import static io.strata.registry.server.ClientTestTools.putBlob;
import static io.strata.registry.server.ClientTestTools.putBlobChunked;
import static io.strata.registry.server.ClientTestTools.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.oci.Digest;
import io.strata.registry.server.RegistryFixture.Storage;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults of the storage layer that clients meet: a collection running between a push's layer
 * uploads and its manifest (the window every push has), and slow clients holding upload resources.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultStorageTest {

  /**
   * A layer stored long ago that no manifest names (an image deleted and not yet collected, or a
   * push that never finished) is pushed again as part of a new image: uploaded again, or mounted.
   * A gc with the default grace period that runs before the new manifest arrives must keep it: the
   * grace period exists for exactly this window. The blob's own age cannot tell, since an upload of
   * content already stored keeps the old file (FilesystemStorage.publish, S3Storage.commitUpload) and
   * a mount only writes a link. (RegistryGcTest checks the collection alone for a monolithic upload
   * and a mount; this is the push as a client makes it, session upload included, up to its manifest.)
   */
  @ParameterizedTest(name = "{0}, layer {1}")
  @CsvSource({"FILESYSTEM, uploaded again in a session", "FILESYSTEM, mounted", "S3, uploaded again in a session", "S3, mounted"})
  void gcBetweenALayerPushedAgainAndItsManifestKeepsTheLayer(Storage storage, String how) throws Exception {
    try (RegistryFixture registry = RegistryFixture.start(storage)) {
      String base = "http://" + registry.host();
      byte[] layer = new byte[200_000];
      new Random(3).nextBytes(layer);
      String d = putBlob(base, "gcrace/old", layer);
      registry.ageEverything(Duration.ofHours(2));

      switch (how) {
        case "uploaded again in one POST" -> putBlob(base, "gcrace/new", layer);
        case "uploaded again in a session" -> putBlobChunked(base, "gcrace/new", layer, 80_000);
        default -> {
          HttpResponse<byte[]> m = http("POST", base + "/v2/gcrace/new/blobs/uploads/?mount=" + d + "&from=gcrace/old", Map.of(), null);
          assertEquals(201, m.statusCode(), "mounted");
        }
      }
      byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
      String c = putBlob(base, "gcrace/new", config);

      RegistryGc.Report report = registry.gc(false, false, RegistryGc.DEFAULT_GRACE); // e.g. a nightly gc, right now
      HttpResponse<byte[]> put = http("PUT", base + "/v2/gcrace/new/manifests/1", Map.of("Content-Type",
          "application/vnd.oci.image.manifest.v1+json"), ClientTestTools.ociManifest(c, config.length,
          List.<String[]>of(new String[] {d, Integer.toString(layer.length)})));
      assertFalse(report.blobs().contains(Digest.parse(d)), "gc deleted " + d + ", pushed to gcrace/new a moment before");
      assertEquals(201, put.statusCode(), () -> "the manifest after gc: " + new String(put.body(), StandardCharsets.UTF_8));
      assertEquals(d, ClientTestTools.getHashed(base + "/v2/gcrace/new/blobs/" + d)[1]);
    }
  }

  /**
   * Sixteen clients that start streaming a layer (chunked, as docker does) and then stall (a slow link, a client paused):
   * other pushes, down to a 40-byte config and a manifest, must still go through. On S3 every write,
   * even of a manifest, first takes one of 16 buffers of 8 MiB (S3Storage.write) and holds it while
   * it reads the client's body, so sixteen stalled bodies stop every push of every client until
   * Jetty's idle timeout ends them.
   */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void stalledUploadsDoNotStopOtherPushes(Storage storage) throws Exception {
    try (RegistryFixture registry = RegistryFixture.start(storage)) {
      String base = "http://" + registry.host();
      List<Socket> stalled = new ArrayList<>();
      try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < S3Storage.BUFFERS; i++) {
          String url = location(base, http("POST", base + "/v2/stall/slow/blobs/uploads/", Map.of(), null));
          Socket s = new Socket();
          stalled.add(s);
          s.connect(new InetSocketAddress("127.0.0.1", registry.port()), 5000);
          OutputStream out = s.getOutputStream();
          out.write(("PATCH " + URI.create(url).getRawPath() + " HTTP/1.1\r\nHost: " + registry.host()
              + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n")
              .getBytes(StandardCharsets.ISO_8859_1)); // a layer streamed as docker streams it, of unknown length
          out.write(new byte[1024]);
          out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        }
        Thread.sleep(500);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        CompletableFuture<String> push = CompletableFuture.supplyAsync(() -> {
          String c = putBlob(base, "stall/other", config);
          return ClientTestTools.putManifest(base, "stall/other", "1", "application/vnd.oci.image.manifest.v1+json",
              ClientTestTools.ociManifest(c, config.length, List.of()));
        }, ex);
        byte[] layer = new byte[300_000];
        new Random(11).nextBytes(layer);
        CompletableFuture<Integer> streamed = CompletableFuture.supplyAsync(() -> streamLayer(base, "stall/other", layer), ex);
        try {
          String m = push.get(10, TimeUnit.SECONDS);
          assertEquals(m, sha256(http("GET", base + "/v2/stall/other/manifests/1", Map.of("Accept",
              "application/vnd.oci.image.manifest.v1+json"), null).body()));
        } catch (TimeoutException e) {
          throw new AssertionError("a 40-byte config and a manifest took over 10 s while " + S3Storage.BUFFERS
              + " uploads stalled (" + storage + ")");
        }
        try {
          assertEquals(201, streamed.get(10, TimeUnit.SECONDS), "another client's layer, streamed as docker streams it");
        } catch (TimeoutException e) {
          throw new AssertionError("another client's 300 kB layer, streamed (chunked), took over 10 s while " + S3Storage.BUFFERS
              + " uploads stalled (" + storage + "): every upload of unknown length waits for a buffer a stalled client holds");
        } finally {
          for (Socket s : stalled) s.close();
        }
      }
    }
  }

  /** POST, then one PATCH with a body of unknown length (chunked, as docker sends layers), then PUT: the final status. */
  private static int streamLayer(String base, String repo, byte[] layer) {
    try {
      String url = location(base, http("POST", base + "/v2/" + repo + "/blobs/uploads/", Map.of(), null));
      java.net.http.HttpRequest patch = java.net.http.HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/octet-stream")
          .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(layer)))
          .build();
      HttpResponse<byte[]> p = java.net.http.HttpClient.newHttpClient().send(patch, HttpResponse.BodyHandlers.ofByteArray());
      if (p.statusCode() != 202) return p.statusCode();
      String next = location(base, p);
      return http("PUT", next + (next.contains("?") ? "&" : "?") + "digest=" + sha256(layer), Map.of(), null).statusCode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Many clients each announce an upload just under S3Storage.SMALL_BYTES (a config-sized POST of
   * known length) and send it slowly. Such a write takes no shared buffer but allocates its whole
   * size at once before a byte arrives (and copies it twice more when it ends), so their number alone
   * decides the heap: 300 of them want 300 MiB. A registry with a 256 MiB heap must refuse or
   * queue them, not die; afterwards it still serves a push.
   */
  @ParameterizedTest
  @EnumSource(value = Storage.class, names = "S3") // the file system's 256 KiB per request: LoadConcurrentPushTest measures it
  void manySlowUploadsJustUnderTheSmallLimitDoNotExhaustTheHeap(Storage storage, @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    String[] args;
    if (storage == Storage.FILESYSTEM) {
      args = new String[] {"--root", tmp.resolve("root").toString()};
    } else {
      S3ProxyFixture s3 = S3ProxyFixture.shared();
      args = new String[] {"--s3", s3.endpoint().toString(), s3.createBucket(), "reg"};
    }
    int clients = 300;
    int size = (1 << 20) - 1;
    try (FaultServerProcess server = FaultServerProcess.start(256, tmp.resolve("server.log"), args)) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < clients; i++) {
          Socket s = new Socket();
          slow.add(s);
          s.connect(new InetSocketAddress("127.0.0.1", server.port), 5000);
          OutputStream out = s.getOutputStream();
          String digest = "sha256:" + String.format("%064x", i + 1);
          out.write(("POST /v2/slow/many/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(new byte[512]);
          out.flush();
        }
        Thread.sleep(1000);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String base = server.base();
        HttpResponse<byte[]> c = http("POST", base + "/v2/slow/other/blobs/uploads/?digest=" + sha256(config), Map.of(), config);
        assertEquals(201, c.statusCode(), () -> "a config while " + clients + " slow uploads are open: " + new String(c.body(),
            StandardCharsets.UTF_8) + "\n" + server.logTail());
      } finally {
        for (Socket s : slow) s.close();
      }
      assertTrue(server.process.isAlive(), "the server is alive");
      assertFalse(server.logText().contains("OutOfMemoryError"), () -> "OutOfMemoryError (" + storage + ", -Xmx256m, " + clients
          + " open uploads of " + size + " bytes):\n" + server.logTail());
    }
  }
}
