package io.strata.registry.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raw requests to a registry (JDK HttpClient, HTTP/1.1, redirects never followed) so a test sees every
 * status, header and error code; plus a bare-socket request for what HttpClient will not send (a
 * Content-Length that lies), and the content-building helpers the protocol tests share.
 */
final class RegistryHttp {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

  private final String base;
  private final List<String> defaultHeaders = new ArrayList<>();

  RegistryHttp(String base) {
    this.base = base;
  }

  RegistryHttp(int port) {
    this("http://127.0.0.1:" + port);
  }

  /** The same registry with a header on every request (Authorization, say). */
  RegistryHttp with(String name, String value) {
    RegistryHttp h = new RegistryHttp(base);
    h.defaultHeaders.addAll(defaultHeaders);
    h.defaultHeaders.add(name);
    h.defaultHeaders.add(value);
    return h;
  }

  String base() {
    return base;
  }

  record Resp(int status, HttpHeaders headers, byte[] body) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      return Json.readTree(body, "response");
    }

    /** The first error code of a distribution-spec error body, or null. */
    String code() {
      try {
        JsonNode e = json().path("errors");
        return e.isArray() && !e.isEmpty() ? e.get(0).path("code").asText(null) : null;
      } catch (RuntimeException notJson) {
        return null;
      }
    }

    @Override
    public String toString() {
      String t = text();
      return status + " " + headers.map() + " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
    }
  }

  Resp get(String path, String... headers) throws IOException {
    return send("GET", path, null, headers);
  }

  Resp head(String path, String... headers) throws IOException {
    return send("HEAD", path, null, headers);
  }

  Resp delete(String path, String... headers) throws IOException {
    return send("DELETE", path, null, headers);
  }

  Resp post(String path, byte[] body, String... headers) throws IOException {
    return send("POST", path, body, headers);
  }

  Resp put(String path, byte[] body, String... headers) throws IOException {
    return send("PUT", path, body, headers);
  }

  Resp patch(String path, byte[] body, String... headers) throws IOException {
    return send("PATCH", path, body, headers);
  }

  /** {@code path} absolute ({@code /v2/...}) or a full URL; {@code headers} name, value, name, value... */
  Resp send(String method, String path, byte[] body, String... headers) throws IOException {
    URI uri = URI.create(path.startsWith("http") ? path : base + path);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < defaultHeaders.size(); i += 2) b.header(defaultHeaders.get(i), defaultHeaders.get(i + 1));
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    try {
      HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Resp(r.statusCode(), r.headers(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}
   * as they are on a new connection, half-closes it, and reads what comes back (bounded by time and size).
   */
  static String raw(int port, String head, byte[] body) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) out.write(body);
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      try {
        for (int n; got.size() < (1 << 20) && System.nanoTime() < deadline && (n = in.read(buf)) >= 0; ) got.write(buf, 0, n);
      } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
        // what came back so far
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }

  // ---- protocol helpers (each asserts the spec's success answer)

  /** Monolithic POST ?digest=: 201. */
  Digest pushBlob(String repo, byte[] content) throws IOException {
    Digest d = Digest.sha256(content);
    Resp r = post("/v2/" + repo + "/blobs/uploads/?digest=" + d, content, "Content-Type", "application/octet-stream");
    assertEquals(201, r.status(), () -> "push blob: " + r);
    return d;
  }

  /** PUT a manifest by {@code reference} (tag or digest): 201. */
  Digest pushManifest(String repo, String reference, String mediaType, byte[] manifest) throws IOException {
    Resp r = put("/v2/" + repo + "/manifests/" + reference, manifest, "Content-Type", mediaType);
    assertEquals(201, r.status(), () -> "push manifest: " + r);
    return Digest.parse(r.header("Docker-Content-Digest"));
  }

  /** Starts an upload session: 202; returns its Location. */
  String startUpload(String repo) throws IOException {
    Resp r = post("/v2/" + repo + "/blobs/uploads/", new byte[0]);
    assertEquals(202, r.status(), () -> "start upload: " + r);
    return r.header("Location");
  }

  /** A config, its layers and an image manifest naming them, all pushed; returns the manifest's digest. */
  Image pushImage(String repo, String tag, String... layerTexts) throws IOException {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"n\":\""
        + repo + tag + System.nanoTime() + "\"}").getBytes(StandardCharsets.UTF_8);
    Digest c = pushBlob(repo, config);
    List<Map.Entry<Digest, Integer>> layers = new ArrayList<>();
    for (String t : layerTexts) {
      byte[] l = t.getBytes(StandardCharsets.UTF_8);
      layers.add(Map.entry(pushBlob(repo, l), l.length));
    }
    byte[] m = manifest(OCI_MANIFEST, OCI_CONFIG, c, config.length, layers, null, null);
    Digest d = pushManifest(repo, tag == null ? Digest.sha256(m).toString() : tag, OCI_MANIFEST, m);
    return new Image(d, m, c, layers.stream().map(Map.Entry::getKey).toList());
  }

  record Image(Digest digest, byte[] manifest, Digest config, List<Digest> layers) {}

  /** An image manifest's JSON: {@code subject} (digest, size, mediaType) and {@code artifactType} optional. */
  static byte[] manifest(String mediaType, String configType, Digest config, long configSize,
      List<Map.Entry<Digest, Integer>> layers, Object[] subject, String artifactType) {
    Map<String, Object> m = new TreeMap<>();
    m.put("schemaVersion", 2);
    m.put("mediaType", mediaType);
    if (artifactType != null) m.put("artifactType", artifactType);
    m.put("config", Map.of("mediaType", configType, "digest", config.toString(), "size", configSize));
    List<Object> ls = new ArrayList<>();
    for (Map.Entry<Digest, Integer> l : layers) {
      ls.add(Map.of("mediaType", mediaType.equals(DOCKER_MANIFEST) ? DOCKER_LAYER : OCI_LAYER, "digest", l.getKey().toString(),
          "size", l.getValue()));
    }
    m.put("layers", ls);
    if (subject != null) m.put("subject", Map.of("mediaType", subject[2], "digest", subject[0].toString(), "size", subject[1]));
    return json(m);
  }

  /** An index's JSON over {@code children} (digest, size). */
  static byte[] index(List<Map.Entry<Digest, Integer>> children) {
    List<Object> ms = new ArrayList<>();
    for (Map.Entry<Digest, Integer> c : children) {
      ms.add(Map.of("mediaType", OCI_MANIFEST, "digest", c.getKey().toString(), "size", c.getValue(),
          "platform", Map.of("architecture", "amd64", "os", "linux")));
    }
    return json(Map.of("schemaVersion", 2, "mediaType", OCI_INDEX, "manifests", ms));
  }

  static byte[] json(Object o) {
    try {
      return Json.mapper().writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A repository name unique to a test: {@code prefix-N}. */
  static String repo(String prefix) {
    return prefix.toLowerCase(Locale.ROOT) + "-" + Long.toString(System.nanoTime() & 0xffffffffL, 36) + COUNTER.incrementAndGet();
  }

  private static final java.util.concurrent.atomic.AtomicInteger COUNTER = new java.util.concurrent.atomic.AtomicInteger();
}
