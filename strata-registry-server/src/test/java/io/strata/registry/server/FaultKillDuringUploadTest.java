package io.strata.registry.server;

import static io.strata.registry.server.ClientTestTools.getHashed;
import static io.strata.registry.server.ClientTestTools.http;
import static io.strata.registry.server.ClientTestTools.location;
import static io.strata.registry.server.ClientTestTools.putBlob;
import static io.strata.registry.server.ClientTestTools.putBlobChunked;
import static io.strata.registry.server.ClientTestTools.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry process SIGKILLed while uploads of every kind are under way (monolithic POSTs and
 * session PATCHes and PUTs streaming slowly, small uploads committing in a loop): restarted on the
 * same directory, every blob that was answered 201 is there and whole, no blob file holds anything
 * but its digest's content, and a session acknowledged before the kill resumes from the offset the
 * restarted registry reports.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultKillDuringUploadTest {
  private static final HttpClient SLOW = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path tmp;

  record Session(String path, byte[] blob, int acknowledged) {} // path: the upload's URL without the server's address

  @Test
  void aRegistryKilledInTheMiddleOfUploadsLosesNoCommittedBlobAndShowsNoHalfBlob() throws Exception {
    Path root = tmp.resolve("root");
    Map<String, String> committed = new ConcurrentHashMap<>(); // digest -> repository, for every 201
    List<Session> sessions = new ArrayList<>();
    Map<String, String> inFlight = new ConcurrentHashMap<>();
    Random random = new Random(99);
    try (FaultServerProcess server = FaultServerProcess.start(256, tmp.resolve("server.log"), "--root", root.toString())) {
      String base = server.base();
      for (int i = 0; i < 8; i++) {
        byte[] b = bytes(random, 512 << 10);
        committed.put(i % 2 == 0 ? putBlob(base, "fault/committed", b) : putBlobChunked(base, "fault/committed", b, 200_000),
            "fault/committed");
      }
      for (int i = 0; i < 4; i++) sessions.add(openSession(base, "fault/resumed", bytes(random, 1 << 20), 400_000));

      AtomicBoolean killed = new AtomicBoolean();
      try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> running = new ArrayList<>();
        for (int j = 0; j < 12; j++) {
          byte[] blob = bytes(random, 8 << 20);
          int kind = j % 3;
          inFlight.put(sha256(blob), "fault/slow");
          running.add(ex.submit(() -> slowUpload(base, "fault/slow", blob, kind, committed)));
        }
        for (int t = 0; t < 2; t++) {
          int seed = t;
          running.add(ex.submit(() -> { // small blobs committed one after another until the kill
            Random r = new Random(1000 + seed);
            for (int i = 0; i < 2000 && !killed.get(); i++) {
              byte[] b = bytes(r, 64 << 10);
              inFlight.put(sha256(b), "fault/fast");
              try {
                committed.put(seed == 0 ? putBlob(base, "fault/fast", b) : putBlobChunked(base, "fault/fast", b, 40_000), "fault/fast");
              } catch (AssertionError | RuntimeException e) {
                return; // the server is gone
              }
            }
          }));
        }
        Thread.sleep(800);
        server.kill();
        killed.set(true);
        for (Future<?> f : running) {
          try {
            f.get(30, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException expected) {
            // a request the kill cut
          }
        }
      }
    }
    System.out.printf("kill: %d blobs committed before the kill, %d uploads were under way%n", committed.size(), inFlight.size());

    try (FaultServerProcess again = FaultServerProcess.start(256, tmp.resolve("server2.log"), "--root", root.toString())) {
      String base = again.base();
      for (var e : committed.entrySet()) {
        String[] got = getHashed(base + "/v2/" + e.getValue() + "/blobs/" + e.getKey());
        assertEquals("200", got[0], "committed before the kill: " + e.getValue() + "@" + e.getKey());
        assertEquals(e.getKey(), got[1], "whole after the restart: " + e.getKey());
      }
      LoadConcurrentPushTest.assertEveryBlobFileHashesToItsName(root);
      for (var e : inFlight.entrySet()) {
        if (committed.containsKey(e.getKey())) continue;
        String[] got = getHashed(base + "/v2/" + e.getValue() + "/blobs/" + e.getKey());
        assertTrue(got[0].equals("404") || (got[0].equals("200") && got[1].equals(e.getKey())),
            "an upload the kill cut is absent or whole, never partial: " + e.getKey() + " answered " + got[0] + " " + got[1]);
      }
      for (Session s : sessions) {
        HttpResponse<byte[]> status = http("GET", base + s.path(), Map.of(), null);
        assertEquals(204, status.statusCode(), "a session acknowledged before the kill is still known");
        assertEquals("0-" + (s.acknowledged() - 1), status.headers().firstValue("Range").orElse(null), "with what it was acknowledged");
        HttpResponse<byte[]> rest = http("PATCH", base + s.path(), Map.of("Content-Type", "application/octet-stream", "Content-Range",
            s.acknowledged() + "-" + (s.blob().length - 1)), Arrays.copyOfRange(s.blob(), s.acknowledged(), s.blob().length));
        assertEquals(202, rest.statusCode());
        String d = sha256(s.blob());
        String url = location(base, rest);
        assertEquals(201, http("PUT", url + (url.contains("?") ? "&" : "?") + "digest=" + d, Map.of(), null).statusCode());
        String[] got = getHashed(base + "/v2/fault/resumed/blobs/" + d);
        assertEquals(d, got[1], "resumed after the restart and whole");
      }
      System.out.printf("kill: left behind: %d files in _tmp, %d upload sessions%n", count(root.resolve("_tmp")),
          count(root.resolve("_uploads")));
    }
  }

  /**
   * What a killed registry leaves (temporary files of monolithic uploads it was verifying, sessions
   * nobody will finish) is garbage once older than the grace period: {@code strata registry gc}
   * must clear it, or every crash leaks disk for good.
   */
  @Test
  void whatAKilledRegistryLeftBehindIsCollected() throws Exception {
    Path root = tmp.resolve("root");
    Random random = new Random(5);
    try (FaultServerProcess server = FaultServerProcess.start(256, tmp.resolve("server.log"), "--root", root.toString())) {
      String base = server.base();
      openSession(base, "fault/abandoned", bytes(random, 1 << 20), 300_000);
      try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> running = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
          byte[] blob = bytes(random, 8 << 20);
          running.add(ex.submit(() -> slowUpload(base, "fault/abandoned", blob, 0, new ConcurrentHashMap<>())));
        }
        Thread.sleep(600);
        server.kill();
        for (Future<?> f : running) {
          try {
            f.get(30, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException expected) {
            // cut
          }
        }
      }
    }
    long tmpFiles = count(root.resolve("_tmp"));
    long uploads = count(root.resolve("_uploads"));
    assertTrue(tmpFiles + uploads > 0, "the kill left partial uploads behind (else this test tests nothing)");
    RegistryGc.run(RegistryConfig.defaults().withRoot(root), false, false, Duration.ZERO);
    assertEquals(0, count(root.resolve("_tmp")) + count(root.resolve("_uploads")),
        "after gc with no grace: files in _tmp and upload sessions a killed registry left (before gc: " + tmpFiles + " + " + uploads + ")");
  }

  static byte[] bytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** A session holding the first {@code acknowledged} bytes of {@code blob} (202 received). */
  static Session openSession(String base, String repo, byte[] blob, int acknowledged) {
    HttpResponse<byte[]> start = http("POST", base + "/v2/" + repo + "/blobs/uploads/", Map.of(), null);
    assertEquals(202, start.statusCode());
    String url = location(base, start);
    HttpResponse<byte[]> p = http("PATCH", url, Map.of("Content-Type", "application/octet-stream", "Content-Range",
        "0-" + (acknowledged - 1)), Arrays.copyOf(blob, acknowledged));
    assertEquals(202, p.statusCode());
    return new Session(URI.create(location(base, p)).getRawPath(), blob, acknowledged);
  }

  /**
   * Uploads {@code blob} with its body trickling in (64 KiB every 10 ms, about 1.3 s for 8 MiB), as
   * {@code kind} 0: one monolithic POST; 1: a session with one PATCH, then PUT; 2: a session finished
   * by a PUT carrying the body. Records a 201 in {@code committed}.
   */
  static Void slowUpload(String base, String repo, byte[] blob, int kind, Map<String, String> committed) throws Exception {
    String d = sha256(blob);
    HttpResponse<byte[]> r;
    switch (kind) {
      case 0 -> r = send("POST", base + "/v2/" + repo + "/blobs/uploads/?digest=" + d, blob);
      case 1 -> {
        String url = location(base, http("POST", base + "/v2/" + repo + "/blobs/uploads/", Map.of(), null));
        HttpResponse<byte[]> p = send("PATCH", url, blob);
        if (p.statusCode() != 202) return null;
        String next = location(base, p);
        r = http("PUT", next + (next.contains("?") ? "&" : "?") + "digest=" + d, Map.of(), null);
      }
      default -> {
        String url = location(base, http("POST", base + "/v2/" + repo + "/blobs/uploads/", Map.of(), null));
        r = send("PUT", url + (url.contains("?") ? "&" : "?") + "digest=" + d, blob);
      }
    }
    if (r.statusCode() == 201) committed.put(d, repo);
    return null;
  }

  private static HttpResponse<byte[]> send(String method, String url, byte[] body) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/octet-stream")
        .method(method, HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Trickle(body)),
            body.length))
        .build();
    return SLOW.send(req, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** {@code body}, 64 KiB at a time with 10 ms between. */
  private static final class Trickle extends InputStream {
    private final byte[] body;
    private int pos;

    Trickle(byte[] body) {
      this.body = body;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= body.length) return -1;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
      int n = Math.min(Math.min(len, 64 << 10), body.length - pos);
      System.arraycopy(body, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  static long count(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
