package io.strata.registry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.image.Image;
import io.strata.image.ImageService;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.oci.MediaTypes;
import io.strata.oci.Platform;
import io.strata.oci.Reference;
import io.strata.registry.CredentialStore;
import io.strata.registry.LayerCompressor;
import io.strata.registry.LayerUnpacker;
import io.strata.registry.Puller;
import io.strata.registry.Pusher;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryOptions;
import io.strata.registry.TransferProgress;
import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the real-client tests share: the external tools (docker, podman, buildah, skopeo, htpasswd,
 * openssl) run as subprocesses with time limits, each with its own state in a temporary directory
 * (docker's --config, podman's and buildah's --root/--runroot/--tmpdir, skopeo's --authfile);
 * strata's own client in-process (Pusher, Puller); raw HTTP; an OCI layout made by hand.
 * Outside CI a missing tool skips the test; in CI ({@code CI=true}) it fails it.
 */
final class ClientTestTools {
  static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
  static final String DEV_DOCKER = "unix:///run/strata-dev-docker.sock";
  private static final Pattern DOCKER_PUSHED = Pattern.compile("(?m)^\\S+: digest: (sha256:[0-9a-f]{64}) size: \\d+$");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private ClientTestTools() {}

  static boolean inCi() {
    return "true".equals(System.getenv("CI"));
  }

  /** Skips the test when a tool is missing, except in CI, where it fails. */
  static void require(String... tools) {
    for (String tool : tools) {
      boolean present = onPath(tool);
      if (inCi()) assertTrue(present, tool + " must be installed in CI (.ci/run installs it)");
      Assumptions.assumeTrue(present, tool + " is not installed: test skipped outside CI");
    }
  }

  static void requireRoot() {
    if (inCi()) assertTrue(HostRequirements.isRoot(), "these tests run as root in CI");
    Assumptions.assumeTrue(HostRequirements.isRoot(), "needs root (podman, buildah, docker): skipped outside CI");
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) return true;
    }
    return false;
  }

  /** The dockerd to use: $DOCKER_HOST (CI starts one), else none: the test is skipped (failed in CI). */
  static String dockerHost() {
    require("docker");
    String host = System.getenv("DOCKER_HOST");
    if (inCi()) assertTrue(host != null && !host.isBlank(), "CI sets DOCKER_HOST (.ci/run starts a dockerd)");
    Assumptions.assumeTrue(host != null && !host.isBlank(), "DOCKER_HOST is not set: docker tests skipped");
    Result info = exec(List.of("docker", "-H", host, "version", "--format", "{{.Server.Version}}"), Map.of(), Duration.ofSeconds(30));
    if (inCi()) assertEquals(0, info.code(), "dockerd at " + host + ": " + info.err());
    Assumptions.assumeTrue(info.code() == 0, "no dockerd at " + host + ": " + info.err());
    return host;
  }

  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** Runs {@code cmd} with {@code env} added, stdin closed, output to files (no pipe can fill), killed after {@code timeout}. */
  static Result exec(List<String> cmd, Map<String, String> env, Duration timeout) {
    try {
      Path out = Files.createTempFile("strata-client-test", ".out");
      Path err = Files.createTempFile("strata-client-test", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          fail(String.join(" ", cmd) + ": timed out after " + timeout.toSeconds() + " s; stderr: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8).strip());
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    }
  }

  static Result exec(List<String> cmd) {
    return exec(cmd, Map.of(), TOOL_TIMEOUT);
  }

  /** Runs {@code cmd}; its stdout; fails the test with its stderr when it exits non-zero. */
  static String run(List<String> cmd) {
    return run(cmd, Map.of());
  }

  static String run(List<String> cmd, Map<String, String> env) {
    Result r = exec(cmd, env, TOOL_TIMEOUT);
    if (r.code() != 0) fail(String.join(" ", cmd) + " exited " + r.code() + ":\n" + r.err() + "\n" + r.out());
    return r.out();
  }

  static List<String> cmd(List<String> prefix, String... args) {
    List<String> c = new ArrayList<>(prefix);
    c.addAll(List.of(args));
    return c;
  }

  /** {@code docker --config DIR -H HOST}: credentials in DIR, never in the user's ~/.docker. */
  static List<String> docker(String host, Path config, String... args) {
    return cmd(List.of("docker", "--config", config.toString(), "-H", host), args);
  }

  /** podman with its storage, run state and temporary files under {@code dir} (vfs, runc, no events). */
  static List<String> podman(Path dir, String... args) {
    return cmd(List.of("podman", "--root", dir.resolve("root").toString(), "--runroot", dir.resolve("run").toString(),
        "--tmpdir", dir.resolve("tmp").toString(), "--storage-driver", "vfs", "--runtime", "runc", "--events-backend", "none",
        "--cgroup-manager", "cgroupfs"), args);
  }

  /** buildah with its storage under {@code dir} (vfs). */
  static List<String> buildah(Path dir, String... args) {
    return cmd(List.of("buildah", "--root", dir.resolve("root").toString(), "--runroot", dir.resolve("run").toString(),
        "--storage-driver", "vfs"), args);
  }

  /** What podman, buildah and skopeo need in their environment: temporary files under {@code dir}. */
  static Map<String, String> containersEnv(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("tmp"));
    if (!Files.exists(dir.resolve("auth.json"))) Files.writeString(dir.resolve("auth.json"), "{}");
    return Map.of("TMPDIR", dir.resolve("tmp").toString(), "BUILDAH_RUNTIME", "runc",
        "REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString(), "XDG_RUNTIME_DIR", Files.createDirectories(dir.resolve("xdg")).toString());
  }

  /** The digest in docker push's last line, {@code TAG: digest: sha256:... size: N}. */
  static String dockerPushedDigest(String out) {
    Matcher m = DOCKER_PUSHED.matcher(out);
    assertTrue(m.find(), () -> "no digest line in docker push output:\n" + out);
    return m.group(1);
  }

  // ---- content

  /** A small root filesystem (the static busybox, a marker file): a layer no other test pushed when {@code marker} is unique. */
  static byte[] rootfs(String marker) throws IOException {
    return TarFixture.of(
        TarFixture.dir("bin", 0755),
        TarFixture.file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
        TarFixture.symlink("busybox", "bin/sh"),
        TarFixture.symlink("busybox", "bin/cat"),
        TarFixture.dir("etc", 0755),
        TarFixture.file("etc/marker", marker + "\n", 0644),
        TarFixture.dir("tmp", 01777)).bytes();
  }

  /** A tiny layer with one file. */
  static byte[] smallTar(String name, String body) {
    return TarFixture.of(TarFixture.dir("etc", 0755), TarFixture.file("etc/" + name, body, 0644)).bytes();
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(raw);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return b.toByteArray();
  }

  static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  // ---- raw HTTP

  static HttpResponse<byte[]> http(String method, String url, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError(method + " " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** GETs {@code url} streaming, hashing what comes: {@code {status, "sha256:..."}} (the body is never held whole). */
  static String[] getHashed(String url) {
    HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).GET().build();
    try {
      HttpResponse<InputStream> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = resp.body()) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      }
      return new String[] {Integer.toString(resp.statusCode()), "sha256:" + HexFormat.of().formatHex(md.digest())};
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new AssertionError("GET " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Uploads {@code blob} to {@code repo} in a session: POST, PATCH chunks of {@code chunk} bytes with Content-Range, PUT. */
  static String putBlobChunked(String base, String repo, byte[] blob, int chunk) {
    String d = sha256(blob);
    HttpResponse<byte[]> start = http("POST", base + "/v2/" + repo + "/blobs/uploads/", Map.of(), null);
    assertEquals(202, start.statusCode(), () -> "start upload: " + new String(start.body(), StandardCharsets.UTF_8));
    String url = location(base, start);
    for (int off = 0; off < blob.length; off += chunk) {
      int end = Math.min(blob.length, off + chunk);
      HttpResponse<byte[]> p = http("PATCH", url, Map.of("Content-Type", "application/octet-stream", "Content-Range",
          off + "-" + (end - 1)), java.util.Arrays.copyOfRange(blob, off, end));
      assertEquals(202, p.statusCode(), () -> "PATCH: " + new String(p.body(), StandardCharsets.UTF_8));
      url = location(base, p);
    }
    String u = url;
    HttpResponse<byte[]> put = http("PUT", u + (u.contains("?") ? "&" : "?") + "digest=" + d, Map.of(), null);
    assertEquals(201, put.statusCode(), () -> "PUT " + u + ": " + new String(put.body(), StandardCharsets.UTF_8));
    return d;
  }

  /** The absolute URL of a response's Location. */
  static String location(String base, HttpResponse<?> r) {
    String l = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location"));
    return l.startsWith("http") ? l : base + l;
  }

  static HttpResponse<byte[]> get(String url) {
    return http("GET", url, Map.of(), null);
  }

  /** Uploads {@code blob} to {@code repo} in one POST (?digest=); its digest. */
  static String putBlob(String base, String repo, byte[] blob) {
    String d = sha256(blob);
    HttpResponse<byte[]> r = http("POST", base + "/v2/" + repo + "/blobs/uploads/?digest=" + d,
        Map.of("Content-Type", "application/octet-stream"), blob);
    assertEquals(201, r.statusCode(), () -> "monolithic upload of " + d + ": " + new String(r.body(), StandardCharsets.UTF_8));
    return d;
  }

  static String putManifest(String base, String repo, String ref, String mediaType, byte[] manifest) {
    HttpResponse<byte[]> r = http("PUT", base + "/v2/" + repo + "/manifests/" + ref, Map.of("Content-Type", mediaType), manifest);
    assertEquals(201, r.statusCode(), () -> "manifest PUT " + repo + ":" + ref + ": " + new String(r.body(), StandardCharsets.UTF_8));
    return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
  }

  /** GETs a blob and checks it hashes to its digest; its bytes. */
  static byte[] assertBlob(String base, String repo, String digest) {
    HttpResponse<byte[]> r = get(base + "/v2/" + repo + "/blobs/" + digest);
    assertEquals(200, r.statusCode(), () -> "GET blob " + repo + "@" + digest);
    assertEquals(digest, sha256(r.body()), "blob " + digest + " hashes to its digest");
    return r.body();
  }

  /** A manifest made by hand: config and layers (already uploaded), OCI types. */
  static byte[] ociManifest(String configDigest, int configSize, List<String[]> layers) {
    ObjectNode m = Json.mapper().createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
    m.putObject("config").put("mediaType", MediaTypes.OCI_CONFIG).put("digest", configDigest).put("size", configSize);
    ArrayNode a = m.putArray("layers");
    for (String[] l : layers) a.addObject().put("mediaType", MediaTypes.OCI_LAYER_GZIP).put("digest", l[0]).put("size", Long.parseLong(l[1]));
    return Json.write(m);
  }

  /**
   * A registry on a port chosen before it starts (a token realm names the server's own port), on
   * {@code storage}, configured by {@code configure(port)}; a few ports are tried if one is taken meanwhile.
   */
  static RegistryFixture startOnKnownPort(RegistryFixture.Storage storage,
      java.util.function.IntFunction<java.util.function.UnaryOperator<RegistryConfig>> configure) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      try {
        return RegistryFixture.start(storage, c -> configure.apply(port).apply(c.withAddr("127.0.0.1:" + port)));
      } catch (Exception e) {
        Throwable t = e;
        while (t != null && !(t instanceof java.net.BindException)) t = t.getCause();
        if (t == null) throw e;
        last = e;
      }
    }
    throw last;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  // ---- strata's client, in-process

  /** strata's store and client for one test: import, push, pull, as {@code strata import|push|pull} do. */
  static final class Strata implements AutoCloseable {
    final ImageService images;
    final RegistryOptions options;
    final CredentialStore credentials;

    Strata(Path dir) {
      this(dir, RegistryOptions.defaults(), null);
    }

    Strata(Path dir, RegistryOptions options, CredentialStore credentials) {
      this.images = ImageService.open(dir.resolve("store"));
      this.options = options;
      this.credentials = credentials;
    }

    /** {@code strata import ROOTFS REF}: a one-layer image; its ID (the config digest). */
    Image importImage(byte[] rootfsTar, String ref) {
      return images.importTar(new ByteArrayInputStream(rootfsTar), List.of("CMD [\"sh\"]"), null, ref, null);
    }

    /** {@code strata push}; the manifest digest. */
    String push(Image image, String ref) {
      Reference r = Reference.parseNormalizedNamed(ref);
      try (RegistryClient client = new RegistryClient(r.domain(), options, credentials)) {
        boolean docker = MediaTypes.DOCKER_MANIFEST.equals(image.manifest().mediaType());
        return new Pusher(images.store(), client, options, new LayerCompressor(images.store(), LayerCompressor.Format.GZIP, docker),
            TransferProgress.QUIET).push(image, r).digest().toString();
      }
    }

    /** {@code strata pull --no-unpack} for {@code platform}. */
    Puller.Result pull(String ref, Platform platform) {
      Reference r = Reference.parseNormalizedNamed(ref);
      try (RegistryClient client = new RegistryClient(r.domain(), options, credentials)) {
        return new Puller(images.store(), client, options, LayerUnpacker.NONE, TransferProgress.QUIET).pull(r, platform);
      }
    }

    Puller.Result pull(String ref) {
      return pull(ref, Platform.current());
    }

    void assertFsckClean() {
      assertTrue(images.store().fsck().run().ok(), "strata's store is consistent after the pull");
    }

    @Override
    public void close() {
      images.close();
    }
  }

  // ---- OCI layouts

  /** An OCI image layout written by hand: one-layer images for given platforms, and an index of them. */
  static final class OciLayout {
    final Path dir;
    private final ArrayNode refs = Json.mapper().createArrayNode();

    OciLayout(Path dir) throws IOException {
      this.dir = dir;
      Files.createDirectories(dir.resolve("blobs/sha256"));
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    /** An image of gzip layers of {@code layerTars} for {@code os/arch}; its manifest's descriptor (plus "configDigest"). */
    ObjectNode image(List<byte[]> layerTars, String os, String arch) throws IOException {
      ObjectNode config = Json.mapper().createObjectNode().put("created", "2024-01-02T03:04:05Z").put("architecture", arch).put("os", os);
      config.putObject("config").putArray("Cmd").add("sh");
      ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
      ObjectNode manifest = Json.mapper().createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
      ArrayNode layers = Json.mapper().createArrayNode();
      for (byte[] tar : layerTars) {
        diffIds.add(Digest.sha256(tar).toString());
        layers.add(blob(MediaTypes.OCI_LAYER_GZIP, gzip(tar)));
      }
      ObjectNode configDesc = blob(MediaTypes.OCI_CONFIG, Json.mapper().writeValueAsBytes(config));
      manifest.set("config", configDesc);
      manifest.set("layers", layers);
      ObjectNode desc = blob(MediaTypes.OCI_MANIFEST, Json.mapper().writeValueAsBytes(manifest));
      desc.putObject("platform").put("architecture", arch).put("os", os);
      desc.put("configDigest", configDesc.path("digest").asText());
      return desc;
    }

    /** An index of {@code manifests}, tagged {@code tag}; its descriptor. */
    ObjectNode index(String tag, List<ObjectNode> manifests) throws IOException {
      ObjectNode index = Json.mapper().createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
      ArrayNode list = index.putArray("manifests");
      for (ObjectNode m : manifests) {
        ObjectNode copy = m.deepCopy();
        copy.remove("configDigest");
        list.add(copy);
      }
      ObjectNode desc = blob(MediaTypes.OCI_INDEX, Json.mapper().writeValueAsBytes(index));
      tag(tag, desc);
      return desc;
    }

    void tag(String tag, ObjectNode desc) throws IOException {
      ObjectNode ref = desc.deepCopy();
      ref.remove("configDigest");
      ref.remove("platform");
      ref.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
      refs.add(ref);
      ObjectNode top = Json.mapper().createObjectNode().put("schemaVersion", 2);
      top.set("manifests", refs);
      Files.write(dir.resolve("index.json"), Json.mapper().writeValueAsBytes(top));
    }

    /** The blob {@code digest} of the layout, checked against its name. */
    byte[] blob(String digest) throws IOException {
      Digest d = Digest.parseSupported(digest);
      byte[] bytes = Files.readAllBytes(dir.resolve("blobs").resolve(d.algorithm()).resolve(d.encoded()));
      assertEquals(digest, sha256(bytes), "layout blob " + digest + " hashes to its name");
      return bytes;
    }

    /** The descriptor of the manifest tagged {@code tag} in index.json. */
    JsonNode tagged(String tag) throws IOException {
      JsonNode index = Json.readTree(Files.readAllBytes(dir.resolve("index.json")), "index.json");
      for (JsonNode m : index.path("manifests")) {
        if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) return m;
      }
      throw new AssertionError("no tag " + tag + " in " + dir.resolve("index.json"));
    }

    private ObjectNode blob(String mediaType, byte[] bytes) throws IOException {
      Digest d = Digest.sha256(bytes);
      Files.write(dir.resolve("blobs/sha256").resolve(d.encoded()), bytes);
      return Json.mapper().createObjectNode().put("mediaType", mediaType).put("digest", d.toString()).put("size", bytes.length);
    }
  }
}
