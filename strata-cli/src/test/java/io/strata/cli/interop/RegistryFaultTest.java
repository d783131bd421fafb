package io.strata.cli.interop;

import static io.strata.cli.interop.RegistryFixtures.assertFsckClean;
import static io.strata.cli.interop.RegistryFixtures.assertOneLineError;
import static io.strata.cli.interop.RegistryFixtures.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.cli.Main;
import io.strata.testkit.HostRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between strata and a real registry, made by a proxy in between ({@link RegistryProxy}): a
 * connection cut in the middle of a ~50 MB layer (the download resumes with a Range request), a
 * pull killed in the middle (the next one fetches only what is missing), and error statuses (one
 * clear line; GETs retried, POST and PUT not).
 */
class RegistryFaultTest {
  private static final int BIG = 50 << 20;

  @TempDir static Path shared;
  private static RegistryServer registry;
  private static RegistryProxy proxy;
  private static StrataCli source;
  /** it/big:1: busybox, a small file, 50 MB of random bytes: three layers as the registry has them. */
  private static List<JsonNode> bigLayers;
  private static String bigConfig;
  private static String bigSha256;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    HostRequirements.containers();
    registry = RegistryServer.start(shared.resolve("registry"), RegistryServer.Auth.NONE);
    proxy = RegistryProxy.start(registry.port());
    source = cli(shared.resolve("source"), shared.resolve("docker-config"));
    Path rootfs = RegistryFixtures.busyboxRootfs(shared, "faults");
    source.ok("import", "-c", "CMD [\"cat\", \"/etc/marker\"]", rootfs.toString(), registry.host() + "/it/small:1");
    source.ok("push", registry.host() + "/it/small:1");
    Path ctx = Files.createDirectories(shared.resolve("ctx"));
    byte[] random = new byte[BIG];
    new Random(42).nextBytes(random);
    Files.write(ctx.resolve("big.bin"), random);
    bigSha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(random));
    Files.writeString(ctx.resolve("small.txt"), "small\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + registry.host() + "/it/small:1\nCOPY small.txt /small.txt\n"
        + "COPY big.bin /big.bin\n");
    source.ok("build", "-q", "-t", registry.host() + "/it/big:1", ctx.toString());
    source.ok("push", registry.host() + "/it/big:1");
    JsonNode m = registry.manifest("it/big", "1");
    bigLayers = new ArrayList<>();
    m.path("layers").forEach(bigLayers::add);
    bigConfig = m.path("config").path("digest").asText();
    assertEquals(3, bigLayers.size());
    assertTrue(size(bigLayers.get(2)) > BIG, "random bytes do not shrink: " + size(bigLayers.get(2)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) proxy.close();
    if (registry != null) registry.close();
  }

  @AfterEach
  void resetProxy() {
    if (proxy != null) proxy.reset();
  }

  private StrataCli fresh(String name) {
    return cli(tmp.resolve(name), tmp.resolve("docker-config"));
  }

  private static String digest(JsonNode d) {
    return d.path("digest").asText();
  }

  private static long size(JsonNode d) {
    return d.path("size").asLong();
  }

  private static long forwarded(List<RegistryProxy.Exchange> exchanges) {
    return exchanges.stream().mapToLong(e -> e.forwarded().get()).sum();
  }

  @Test
  void aConnectionCutInTheMiddleOfALayerResumesWithARangeRequest() throws IOException {
    JsonNode big = bigLayers.get(2);
    proxy.drop("GET", "/blobs/" + digest(big), size(big) / 2, 1);
    StrataCli store = fresh("store");
    String ref = proxy.host() + "/it/big:1";
    store.ok("pull", ref);

    List<RegistryProxy.Exchange> gets = proxy.matching("GET", "/blobs/" + digest(big));
    assertEquals(2, gets.size(), gets.toString());
    assertNull(gets.get(0).header("Range"), "the first request is for the whole blob");
    String range = gets.get(1).header("Range");
    assertTrue(range != null && range.matches("bytes=\\d+-"), "the second one resumes: " + range);
    long from = Long.parseLong(range.replaceAll("\\D", ""));
    assertTrue(from > 0 && from <= size(big) / 2, "from what the first one delivered: " + from);
    assertTrue(forwarded(gets) <= size(big) * 11 / 10, "the layer's bytes came about once: " + forwarded(gets) + " of " + size(big));
    assertTrue(proxy.forwarded() <= size(big) * 11 / 10, "everything from the registry: " + proxy.forwarded());
    assertEquals(StrataCli.layers(source.inspect(registry.host() + "/it/big:1")), StrataCli.layers(store.inspect(ref)));
    assertEquals("small\n", store.ok("run", "--rm", ref, "cat", "/small.txt"));
    assertFsckClean(store);
  }

  /**
   * strata pull as a process, killed once the small layers are stored and part of the big one is on
   * disk: the next pull fetches neither the finished layers nor the config again, and resumes the
   * big one from the bytes on disk with a Range request. fsck is clean after the kill and after the
   * pull.
   */
  @Test
  void aKilledPullResumesWhereItStopped() throws Exception {
    JsonNode big = bigLayers.get(2);
    long held = 20L << 20;
    RegistryProxy.Stall stall = proxy.stall("GET", "/blobs/" + digest(big), held);
    Path root = tmp.resolve("store");
    String ref = proxy.host() + "/it/big:1";
    Process p = strataProcess(root, "killed.log", "pull", ref);
    Path partial = root.resolve("ingest/partial-sha256-" + digest(big).substring(7));
    try {
      assertTrue(stall.awaitStalled(Duration.ofSeconds(60)), "the big layer's download got to " + held + " bytes");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && p.isAlive()
          && !(stored(root, bigLayers.get(0)) && stored(root, bigLayers.get(1)) && Files.exists(partial)
              && Files.size(partial) >= held - 64 * 1024)) {
        Thread.sleep(20);
      }
      assertTrue(p.isAlive(), () -> "the pull is still running: " + log("killed.log"));
      assertTrue(stored(root, bigLayers.get(0)) && stored(root, bigLayers.get(1)), "the small layers are stored");
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      stall.release();
    }
    long onDisk = Files.size(partial);
    assertTrue(onDisk > 0 && onDisk <= held, "part of the layer is on disk: " + onDisk);

    StrataCli store = cli(root, tmp.resolve("docker-config"));
    assertFsckClean(store);
    assertTrue(store.exec("image", "inspect", ref).code() != 0, "no image was recorded by the killed pull");
    proxy.reset();
    String out = store.ok("pull", ref);
    for (JsonNode small : bigLayers.subList(0, 2)) {
      assertEquals(List.of(), proxy.matching("GET", "/blobs/" + digest(small)), "a layer stored before the kill is not fetched");
      assertTrue(out.contains(digest(small).substring(7, 19) + ": Already exists"), out);
    }
    assertEquals(List.of(), proxy.matching("GET", "/blobs/" + bigConfig), "nor is the config");
    List<RegistryProxy.Exchange> gets = proxy.matching("GET", "/blobs/" + digest(big));
    assertEquals(1, gets.size(), gets.toString());
    assertEquals("bytes=" + onDisk + "-", gets.getFirst().header("Range"), "resumed from the bytes on disk");
    assertTrue(forwarded(gets) <= size(big) - onDisk + 4096, "only the rest came: " + forwarded(gets));
    assertEquals(StrataCli.layers(source.inspect(registry.host() + "/it/big:1")), StrataCli.layers(store.inspect(ref)));
    assertEquals("small\n", store.ok("run", "--rm", ref, "cat", "/small.txt"));
    assertFsckClean(store);
  }

  /**
   * A chunked upload (a layer over 32 MiB goes in PATCH chunks) whose PATCH is cut in the middle:
   * Pusher's comment promises it goes on from the offset the registry reports. The push must
   * succeed, and what the registry then serves must be the layer (a pull of it verifies every digest).
   */
  @Test
  void aChunkedUploadCutInTheMiddleIsCompleted() throws IOException {
    StrataCli store = cli(tmp.resolve("pusher"), tmp.resolve("docker-config"));
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    byte[] random = new byte[40 << 20];
    new Random(7).nextBytes(random);
    Files.write(ctx.resolve("big.bin"), random);
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY big.bin /big.bin\n");
    String ref = proxy.host() + "/it/chunked:1";
    store.ok("build", "-q", "-t", ref, ctx.toString());
    proxy.cutRequest("PATCH", "/it/chunked/blobs/uploads/", 10 << 20, 1);
    StrataCli.Result r = store.exec("push", ref);
    List<String> requests = proxy.exchanges().stream().filter(e -> e.path().contains("/it/chunked/"))
        .map(e -> e.method() + " " + e.path().replaceAll("\\?.*", "") + " " + e.headers().getOrDefault("content-range", ""))
        .toList();
    assertEquals(0, r.code(), () -> "push after a cut PATCH: " + r.err() + "\nrequests: " + requests);
    StrataCli puller = fresh("puller");
    puller.ok("pull", registry.host() + "/it/chunked:1");
    assertFsckClean(puller);
  }

  /**
   * A layer whose bytes are damaged on the way fails the pull with one line (its digest does not
   * match), stores nothing of it, records no image; the next pull fetches it whole and the image's
   * file is intact inside a container.
   */
  @Test
  void aCorruptedLayerIsRefusedAndTheNextPullIsWhole() throws Exception {
    JsonNode big = bigLayers.get(2);
    proxy.corrupt("GET", "/blobs/" + digest(big), 5L << 20, 1);
    StrataCli store = fresh("store");
    String ref = proxy.host() + "/it/big:1";
    assertOneLineError(store.exec("pull", ref), digest(big));
    assertTrue(store.exec("image", "inspect", ref).code() != 0, "no image recorded");
    Path root = tmp.resolve("store");
    assertTrue(!stored(root, big), "the damaged blob is not stored");
    assertTrue(!Files.exists(root.resolve("ingest/partial-sha256-" + digest(big).substring(7))), "nor kept for a resume");
    assertFsckClean(store);

    proxy.reset();
    store.ok("pull", ref);
    assertEquals(1, proxy.matching("GET", "/blobs/" + digest(big)).size());
    assertNull(proxy.matching("GET", "/blobs/" + digest(big)).getFirst().header("Range"), "fetched whole");
    assertEquals(bigSha256 + "  /big.bin\n", store.ok("run", "--rm", ref, "/bin/busybox", "sha256sum", "/big.bin"));
    assertFsckClean(store);
  }

  /** Two strata processes pulling the same image into one store at once: both succeed, each blob is fetched once. */
  @Test
  void twoConcurrentPullsIntoOneStoreFetchEachBlobOnce() throws Exception {
    Path root = tmp.resolve("store");
    String ref = proxy.host() + "/it/big:1";
    List<Process> pulls = new ArrayList<>();
    for (int i = 0; i < 2; i++) pulls.add(strataProcess(root, "pull-" + i + ".log", "pull", ref));
    for (int i = 0; i < 2; i++) {
      Process p = pulls.get(i);
      boolean done = p.waitFor(60, TimeUnit.SECONDS);
      if (!done) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      int n = i;
      assertTrue(done && p.exitValue() == 0, () -> "pull " + n + ": " + log("pull-" + n + ".log"));
    }
    for (JsonNode layer : bigLayers) {
      assertEquals(1, proxy.matching("GET", "/blobs/" + digest(layer)).size(), "GETs of " + digest(layer));
    }
    StrataCli store = cli(root, tmp.resolve("docker-config"));
    assertEquals(bigSha256 + "  /big.bin\n", store.ok("run", "--rm", ref, "/bin/busybox", "sha256sum", "/big.bin"));
    assertFsckClean(store);
  }

  /**
   * Two pulls into one store, each holding one partial download and waiting for one the other holds:
   * a pull B with two download slots has layers X and Y in flight; a pull A has the third, Z, in
   * flight and waits for X and Y; B finishes X, and its next download, Z, waits for A. Nobody is
   * stuck (A's Z is downloading and will be released), so both pulls must succeed; the kernel's
   * POSIX-lock deadlock detection, which sees one lock owner per process, must not fail one of them.
   */
  @Test
  void crossedDownloadsOfTwoPullsIntoOneStoreBothSucceed() throws Exception {
    Path root = tmp.resolve("store");
    String ref = proxy.host() + "/it/big:1";
    Files.writeString(tmp.resolve("two-slots.json"), "{\"max-concurrent-downloads\": 2}");
    List<RegistryProxy.Stall> stalls = new ArrayList<>(); // the first GET of each layer is held
    for (JsonNode layer : bigLayers) stalls.add(proxy.stall("GET", "/blobs/" + digest(layer), 100));
    Process b = strataProcess(root, tmp.resolve("two-slots.json"), "pull-b.log", "pull", ref);
    Process a = null;
    try {
      List<Integer> inFlight = new ArrayList<>();
      for (int i = 0; i < 3000 && inFlight.size() < 2; i++) { // which two layers B's two slots took (60 s at most)
        inFlight.clear();
        for (int k = 0; k < 3; k++) if (stalls.get(k).awaitStalled(Duration.ZERO)) inFlight.add(k);
        if (inFlight.size() < 2) Thread.sleep(20);
      }
      assertEquals(2, inFlight.size(), "B has two layers in flight");
      int x = inFlight.get(0);
      int z = 3 - inFlight.get(0) - inFlight.get(1);
      a = strataProcess(root, "pull-a.log", "pull", ref);
      assertTrue(stalls.get(z).awaitStalled(Duration.ofSeconds(60)), "A has layer " + z + " in flight");
      // A waits for B's two (a blocking lock shows in /proc/locks at once; a polling one does not: 2 s is ample)
      waitForBlockedLocks(a.pid(), 2, 2);
      stalls.get(x).release(); // B's layer x is cut: B fetches it again (keeping its lock), then goes on to z, held by A
      waitForBlockedLocks(b.pid(), 1, 3); // B waits for z (or has been told EDEADLK already)
      proxy.releaseAll();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // each takes ~3 s here; a hang is a failure
      for (Process p : List.of(b, a)) {
        if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Process pa = a;
      assertEquals(0, b.exitValue(), () -> "pull B (137: killed, it hung): " + log("pull-b.log"));
      assertEquals(0, pa.exitValue(), () -> "pull A (137: killed, it hung): " + log("pull-a.log"));
    } finally {
      proxy.releaseAll();
      b.destroyForcibly();
      if (a != null) a.destroyForcibly();
    }
    StrataCli store = cli(root, tmp.resolve("docker-config"));
    assertEquals(bigSha256 + "  /big.bin\n", store.ok("run", "--rm", ref, "/bin/busybox", "sha256sum", "/big.bin"));
    assertFsckClean(store);
  }

  /**
   * A build whose independent stages start FROM two images that share a layer, neither in the
   * store: the stages build side by side, so one process pulls the shared layer twice at once. The
   * second download must wait for the first (or find the blob stored), not fail.
   */
  @Test
  void parallelStagesPullingImagesThatShareALayerBuild() throws Exception {
    for (String name : List.of("x", "y")) {
      Path ctx = Files.createDirectories(tmp.resolve("ctx-" + name));
      Files.writeString(ctx.resolve(name + ".txt"), name + "\n");
      Files.writeString(ctx.resolve("Dockerfile"), "FROM " + registry.host() + "/it/small:1\nCOPY " + name + ".txt /" + name + ".txt\n");
      source.ok("build", "-q", "-t", registry.host() + "/it/" + name + ":1", ctx.toString());
      source.ok("push", "-q", registry.host() + "/it/" + name + ":1");
    }
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + proxy.host() + "/it/x:1 AS one\nFROM " + proxy.host()
        + "/it/y:1 AS two\nFROM scratch\nCOPY --from=one /x.txt /x.txt\nCOPY --from=two /y.txt /y.txt\n");
    JsonNode shared = bigLayers.get(0); // it/small's one layer, under both
    RegistryProxy.Stall first = proxy.stall("GET", "/blobs/" + digest(shared), 100);
    Path root = tmp.resolve("builder");
    Process build = strataProcess(root, "build.log", "build", "-q", "-t", "both:1", ctx.toString()); // killable if it hangs
    try {
      assertTrue(first.awaitStalled(Duration.ofSeconds(60)), "one stage's pull is fetching the shared layer");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && build.isAlive()
          && (proxy.matching("GET", "/it/x/blobs/sha256:").size() + proxy.matching("GET", "/it/y/blobs/sha256:").size()) < 3) {
        Thread.sleep(20); // until the other stage's pull has its config and goes for the layers
      }
      Thread.sleep(500);
      first.release();
      boolean ended = build.waitFor(20, TimeUnit.SECONDS); // ~3 s here; a hang is a failure
      assertTrue(ended, () -> "the build hangs: " + log("build.log"));
      assertEquals(0, build.exitValue(), () -> "build: " + log("build.log"));
    } finally {
      first.release();
      build.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    StrataCli store = cli(root, tmp.resolve("docker-config"));
    Path flat = store.flatten("both:1", Files.createDirectories(tmp.resolve("flat")));
    assertEquals("x\n", Files.readString(flat.resolve("x.txt")));
    assertEquals("y\n", Files.readString(flat.resolve("y.txt")));
    assertFsckClean(store);
  }

  /** Until /proc/locks shows {@code n} blocked lock requests of process {@code pid} ({@code seconds} at most). */
  private static boolean waitForBlockedLocks(long pid, int n, int seconds) throws Exception {
    for (int i = 0; i < seconds * 50; i++) {
      long blocked = blockedLocks().stream().filter(l -> l.split("\\s+").length > 5 && l.split("\\s+")[5].equals(String.valueOf(pid)))
          .count();
      if (blocked >= n) return true;
      Thread.sleep(20);
    }
    return false;
  }

  /** Lines of /proc/locks for requests waiting on a lock ("N: -> POSIX ADVISORY WRITE PID ..."). */
  private static List<String> blockedLocks() throws IOException {
    return Files.readAllLines(Path.of("/proc/locks")).stream().filter(l -> l.contains("->")).toList();
  }

  /** strata as its own process on store {@code root}, output to {@code log} in tmp. */
  private Process strataProcess(Path root, String log, String... args) throws IOException {
    return strataProcess(root, tmp.resolve("no-daemon.json"), log, args);
  }

  private Process strataProcess(Path root, Path daemonJson, String log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--root", root.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile());
    pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
    pb.environment().put("STRATA_CONFIG", daemonJson.toString());
    pb.environment().put("STRATA_DEBUG", "1"); // a failure's stack trace goes into the log
    return pb.start();
  }

  private static boolean stored(Path root, JsonNode layer) {
    return Files.isRegularFile(root.resolve("blobs/sha256/" + digest(layer).substring(7)));
  }

  private String log(String name) {
    try {
      return Files.readString(tmp.resolve(name));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static final String MANIFEST = "/it/small/manifests/1";

  private static String errors(String code, String message) {
    return "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":null}]}";
  }

  /** Statuses the registry would not otherwise give, each a one-line error naming the cause. */
  @Test
  void errorStatusesAreOneClearLine() throws IOException {
    String ref = proxy.host() + "/it/small:1";
    record Case(int status, Map<String, String> headers, String body, String expected, int attempts) {}
    List<Case> cases = List.of(
        new Case(401, Map.of("WWW-Authenticate", "Basic realm=\"x\""), errors("UNAUTHORIZED", "authentication required"),
            "unauthorized: authentication required", -1),
        new Case(403, Map.of(), errors("DENIED", "requested access to the resource is denied"),
            "denied: requested access to the resource is denied", 1),
        new Case(403, Map.of(), "", "denied: requested access to the resource is denied", 1),
        new Case(404, Map.of(), errors("MANIFEST_UNKNOWN", "manifest unknown"), "not found: manifest unknown", 1),
        new Case(429, Map.of("Retry-After", "0"), errors("TOOMANYREQUESTS", "slow down"), "toomanyrequests: slow down", 4),
        new Case(500, Map.of(), "", "unexpected status 500", 4),
        new Case(502, Map.of(), "<html>bad gateway</html>", "unexpected status 502", 4),
        new Case(503, Map.of(), errors("UNAVAILABLE", "service unavailable"), "unavailable: service unavailable", 4));
    for (Case c : cases) {
      proxy.reset();
      proxy.respond("GET", MANIFEST, 100, c.status(), c.headers(), c.body());
      StrataCli.Result r = fresh("store-" + c.status()).exec("pull", ref);
      assertOneLineError(r, c.expected(), "it/small");
      int gets = proxy.matching("GET", MANIFEST).size();
      if (c.attempts() > 0) assertEquals(c.attempts(), gets, c.status() + ": manifest GETs");
    }
  }

  /**
   * A 401 whose challenge strata has nothing to answer with (no credentials for basic
   * authentication) is final: the request is not sent again unchanged, neither a GET nor a PUT that
   * carries a whole blob (the registry refused it once already).
   */
  @Test
  void aChallengeWithNothingToAnswerItWithIsNotSentAgain() throws IOException {
    Map<String, String> challenge = Map.of("WWW-Authenticate", "Basic realm=\"strata-test\"");
    proxy.respond("GET", MANIFEST, 100, 401, challenge, errors("UNAUTHORIZED", "authentication required"));
    assertOneLineError(fresh("store").exec("pull", proxy.host() + "/it/small:1"), "unauthorized: authentication required");
    int manifestGets = proxy.matching("GET", MANIFEST).size();

    proxy.reset();
    StrataCli store = cli(tmp.resolve("pusher"), tmp.resolve("docker-config"), "{\"max-concurrent-uploads\": 1}");
    String ref = proxy.host() + "/it/challenged:1";
    store.ok("import", RegistryFixtures.busyboxRootfs(tmp, "challenged").toString(), ref);
    proxy.respond("PUT", "/it/challenged/blobs/uploads/", 100, 401, challenge, errors("UNAUTHORIZED", "authentication required"));
    assertOneLineError(store.exec("push", ref), "unauthorized: authentication required");
    List<String> puts = proxy.matching("PUT", "/it/challenged/blobs/uploads/").stream()
        .map(e -> e.path().replaceAll(".*digest=", "")).toList();
    long bodyBytes = proxy.matching("PUT", "/it/challenged/blobs/uploads/").stream()
        .mapToLong(e -> Long.parseLong(e.headers().getOrDefault("content-length", "0"))).sum();
    assertEquals(1, manifestGets, "the manifest GET answered 401 is sent once");
    assertEquals(puts.size(), new java.util.HashSet<>(puts).size(), "each blob's PUT is sent once, not again unchanged: "
        + puts + " (" + bodyBytes + " body bytes)");
  }

  /** A GET that fails now and then is tried again (manifest and blob): the pull succeeds. */
  @Test
  void failedGetsAreRetriedAndThePullSucceeds() throws IOException {
    String ref = proxy.host() + "/it/small:1";
    JsonNode layer = bigLayers.get(0); // it/small's one layer
    proxy.respond("GET", MANIFEST, 2, 503, Map.of(), "");
    proxy.respond("GET", "/blobs/" + digest(layer), 1, 500, Map.of(), "");
    proxy.respond("GET", "/blobs/" + digest(layer), 1, 429, Map.of("Retry-After", "1"), "");
    StrataCli store = fresh("store");
    store.ok("pull", ref);
    assertEquals(3, proxy.matching("GET", MANIFEST).size(), "two 503s, then the manifest");
    assertEquals(3, proxy.matching("GET", "/blobs/" + digest(layer)).size(), "a 500, a 429, then the blob");
    assertEquals("faults\n", store.ok("run", "--rm", ref));
    assertFsckClean(store);
  }

  /**
   * A POST (upload start) or PUT (upload end, manifest) that fails is not sent again: the push fails
   * with one line. Each blob is HEAD, then at most one POST and one PUT; the manifest PUT is sent once.
   */
  @Test
  void failedPostsAndPutsAreNotRetried() throws IOException {
    StrataCli store = cli(tmp.resolve("pusher"), tmp.resolve("docker-config"), "{\"max-concurrent-uploads\": 1}");
    String ref = proxy.host() + "/it/pushed:1";
    store.ok("import", RegistryFixtures.busyboxRootfs(tmp, "push-faults").toString(), ref);

    proxy.respond("POST", "/it/pushed/blobs/uploads/", 100, 500, Map.of(), "");
    assertOneLineError(store.exec("push", ref), "unexpected status 500");
    int heads = proxy.matching("HEAD", "/it/pushed/blobs/").size();
    int posts = proxy.matching("POST", "/it/pushed/blobs/uploads/").size();
    // each blob: HEAD, then at most one POST (a failed push cancels the blobs not yet started)
    assertTrue(posts >= 1 && posts <= heads, "at most one POST per blob looked up (" + heads + "), none again: " + posts);

    proxy.reset();
    proxy.respond("PUT", "/it/pushed/blobs/uploads/", 100, 503, Map.of(), "");
    assertOneLineError(store.exec("push", ref), "unexpected status 503");
    List<String> puts = proxy.matching("PUT", "/it/pushed/blobs/uploads/").stream()
        .map(e -> e.path().replaceAll(".*digest=", "")).toList();
    assertTrue(!puts.isEmpty() && puts.size() == new java.util.HashSet<>(puts).size(), "one PUT per blob: " + puts);
    assertEquals(puts.size(), proxy.matching("POST", "/it/pushed/blobs/uploads/").size(), "and one POST");

    proxy.reset();
    proxy.respond("PUT", "/it/pushed/manifests/", 100, 503, Map.of(), "");
    assertOneLineError(store.exec("push", ref), "unexpected status 503");
    assertEquals(1, proxy.matching("PUT", "/manifests/").size(), "one manifest PUT: " + proxy.exchanges());

    proxy.reset();
    String out = store.ok("push", ref);
    assertTrue(out.contains(": digest: sha256:"), out);
  }
}
