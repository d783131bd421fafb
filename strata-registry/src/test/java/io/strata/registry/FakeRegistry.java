package io.strata.registry;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.strata.oci.Digest;
import io.strata.oci.MediaTypes;
import io.strata.oci.Platform;
import io.strata.oci.Reference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * A registry (Docker Registry HTTP API v2) in the test, on the JDK's HttpsServer (a throwaway
 * self-signed certificate: the client skips verification for loopback, and the JDK's plain HttpServer
 * never answers the TLS hello of the client's HTTPS probe, which would cost its 30 s timeout on every
 * test), bound to 127.0.0.1 on an ephemeral port. It serves {@code /v2/}, manifests by tag and digest, blobs (with {@code Range}),
 * uploads, a token endpoint ({@code /token}) and, outside {@code /v2/}, any blob it holds at
 * {@code /blob/DIGEST} (a redirect target standing for a CDN). Every request is recorded; hooks run
 * first and can answer a request any way they like (the hostile part). Every loop that writes is
 * bounded in bytes and time.
 */
final class FakeRegistry implements AutoCloseable {
  static final String USER = "alice";
  static final String PASSWORD = "s3cret-pass";
  static final String BASIC = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  /** Bound on what any endless response writes (the client must stop far earlier). */
  static final long ENDLESS_CAP = 256L << 20;

  enum Auth { NONE, BASIC, BEARER }

  /** A request as the server saw it; header names are matched without regard to case. */
  record Seen(String method, String path, String query, Map<String, List<String>> headers) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().get(0);
      }
      return null;
    }

    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  /** Answers a request itself (true) or leaves it to the registry (false). */
  @FunctionalInterface
  interface Hook {
    boolean handle(HttpExchange ex, Seen req) throws IOException;
  }

  /** An image as the registry serves it: the blobs and the manifest bytes. */
  record TestImage(byte[] config, List<byte[]> layers, List<Digest> diffIds, byte[] manifest, String manifestType) {
    Digest digest() {
      return Digest.sha256(manifest);
    }

    Digest configDigest() {
      return Digest.sha256(config);
    }

    Digest layerDigest(int i) {
      return Digest.sha256(layers.get(i));
    }
  }

  private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/(.*)");
  private static final Pattern OBJECT = Pattern.compile("/v2/(.+)/(manifests|blobs)/([^/]+)");

  private final HttpServer server;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  final List<Seen> requests = new CopyOnWriteArrayList<>();
  private final List<Hook> hooks = new CopyOnWriteArrayList<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>(); // repo@ref -> bytes
  private final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();
  /** Body bytes this server wrote (all responses). */
  final AtomicLong bytesWritten = new AtomicLong();
  volatile Auth auth = Auth.NONE;
  /** The token realm announced in bearer challenges; null: this server's {@code /token}. */
  volatile String realm;
  /** Whether the token endpoint insists on the user's basic credentials. */
  volatile boolean tokenNeedsCredentials = true;

  FakeRegistry() {
    try {
      HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      s.setHttpsConfigurator(new HttpsConfigurator(TestTls.context()));
      server = s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** {@code 127.0.0.1:PORT}, the registry's name in references. */
  String host() {
    return "127.0.0.1:" + port();
  }

  String base() {
    return "https://" + host();
  }

  Reference ref(String repoAndTagOrDigest) {
    return Reference.parseNormalizedNamed(host() + "/" + repoAndTagOrDigest);
  }

  void hook(Hook h) {
    hooks.add(h);
  }

  void putBlob(byte[] bytes) {
    blobs.put(Digest.sha256(bytes).toString(), bytes.clone());
  }

  void putBlob(Digest digest, byte[] bytes) {
    blobs.put(digest.toString(), bytes.clone());
  }

  byte[] blob(Digest d) {
    return blobs.get(d.toString());
  }

  /** Serves {@code raw} as manifest {@code repo:tag} and {@code repo@digest}. */
  void putManifest(String repo, String tag, byte[] raw, String contentType) {
    String digest = Digest.sha256(raw).toString();
    for (String ref : tag == null ? List.of(digest) : List.of(tag, digest)) {
      manifests.put(repo + "@" + ref, raw.clone());
      if (contentType != null) manifestTypes.put(repo + "@" + ref, contentType);
    }
  }

  void put(String repo, String tag, TestImage image) {
    putBlob(image.config());
    image.layers().forEach(this::putBlob);
    putManifest(repo, tag, image.manifest(), image.manifestType());
  }

  /** Requests whose path matches {@code regex} (and method, when not null). */
  List<Seen> seen(String method, String regex) {
    List<Seen> out = new ArrayList<>();
    for (Seen s : requests) if ((method == null || s.method().equals(method)) && s.path().matches(regex)) out.add(s);
    return out;
  }

  int count(String method, String regex) {
    return seen(method, regex).size();
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
    Seen req = new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), headers);
    requests.add(req);
    try (ex) {
      byte[] body = ex.getRequestBody().readNBytes(64 << 20);
      for (Hook h : hooks) if (h.handle(ex, req)) return;
      route(ex, req, body);
    } catch (IOException e) {
      // the client went away (often on purpose: it stopped reading)
    }
  }

  private void route(HttpExchange ex, Seen req, byte[] body) throws IOException {
    String path = req.path();
    if (path.equals("/token")) {
      token(ex, req);
      return;
    }
    if (path.startsWith("/blob/")) {
      byte[] b = blobs.get(path.substring("/blob/".length()));
      if (b == null) respond(ex, 404, null, new byte[0]);
      else serveBlob(ex, req, b);
      return;
    }
    if (!path.startsWith("/v2/")) {
      respond(ex, 404, null, new byte[0]);
      return;
    }
    Matcher upload = UPLOAD.matcher(path);
    Matcher object = OBJECT.matcher(path);
    String repo = upload.matches() ? upload.group(1) : object.matches() ? object.group(1) : null;
    if (!authorized(ex, req, repo)) return;
    if (path.equals("/v2/")) {
      json(ex, 200, "{}");
    } else if (upload.matches()) {
      upload(ex, req, upload.group(1), upload.group(2), body);
    } else if (object.matches() && object.group(2).equals("manifests")) {
      String key = repo + "@" + object.group(3);
      if (req.method().equals("PUT")) {
        putManifest(repo, object.group(3), body, req.header("Content-Type"));
        Headers h = new Headers();
        h.add("Docker-Content-Digest", Digest.sha256(body).toString());
        h.add("Location", path);
        respond(ex, 201, h, new byte[0]);
        return;
      }
      byte[] m = manifests.get(key);
      if (m == null) {
        errorJson(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
        return;
      }
      serveManifest(ex, req, m, manifestTypes.get(key), Digest.sha256(m).toString());
    } else if (object.matches()) {
      byte[] b = blobs.get(object.group(3));
      if (b == null) {
        errorJson(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry");
        return;
      }
      serveBlob(ex, req, b);
    } else {
      errorJson(ex, 404, "NAME_UNKNOWN", "repository name not known to registry");
    }
  }

  private void upload(HttpExchange ex, Seen req, String repo, String id, byte[] body) throws IOException {
    Headers h = new Headers();
    switch (req.method()) {
      case "POST" -> {
        String u = "u" + ids.incrementAndGet();
        uploads.put(u, new ByteArrayOutputStream());
        h.add("Location", "/v2/" + repo + "/blobs/uploads/" + u);
        h.add("Range", "0-0");
        h.add("Docker-Upload-UUID", u);
        respond(ex, 202, h, new byte[0]);
      }
      case "PATCH" -> {
        ByteArrayOutputStream b = uploads.get(id);
        if (b == null) {
          errorJson(ex, 404, "BLOB_UPLOAD_UNKNOWN", "upload unknown");
          return;
        }
        b.writeBytes(body);
        h.add("Location", "/v2/" + repo + "/blobs/uploads/" + id);
        h.add("Range", "0-" + (b.size() - 1));
        respond(ex, 202, h, new byte[0]);
      }
      case "PUT" -> {
        ByteArrayOutputStream b = uploads.remove(id);
        String digest = req.query() == null ? null : req.query().replaceAll(".*digest=([^&]*).*", "$1")
            .replace("%3A", ":").replace("%3a", ":");
        if (b == null || digest == null) {
          errorJson(ex, 404, "BLOB_UPLOAD_UNKNOWN", "upload unknown");
          return;
        }
        b.writeBytes(body);
        byte[] all = b.toByteArray();
        if (!Digest.sha256(all).toString().equals(digest)) {
          errorJson(ex, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
          return;
        }
        blobs.put(digest, all);
        h.add("Docker-Content-Digest", digest);
        h.add("Location", "/v2/" + repo + "/blobs/" + digest);
        respond(ex, 201, h, new byte[0]);
      }
      default -> errorJson(ex, 405, "UNSUPPORTED", "method not allowed");
    }
  }

  private boolean authorized(HttpExchange ex, Seen req, String repo) throws IOException {
    String given = req.header("Authorization");
    switch (auth) {
      case NONE -> {
        return true;
      }
      case BASIC -> {
        if (BASIC.equals(given)) return true;
        Headers h = new Headers();
        h.add("WWW-Authenticate", "Basic realm=\"fake registry\"");
        errorJson(ex, 401, h, "UNAUTHORIZED", "authentication required");
        return false;
      }
      default -> {
        if (given != null && given.startsWith("Bearer ") && tokens.contains(given.substring(7))) return true;
        Headers h = new Headers();
        String r = realm != null ? realm : base() + "/token";
        h.add("WWW-Authenticate", "Bearer realm=\"" + r + "\",service=\"fake\""
            + (repo == null ? "" : ",scope=\"repository:" + repo + ":pull\""));
        errorJson(ex, 401, h, "UNAUTHORIZED", "authentication required");
        return false;
      }
    }
  }

  private void token(HttpExchange ex, Seen req) throws IOException {
    if (tokenNeedsCredentials && !BASIC.equals(req.header("Authorization"))) {
      json(ex, 401, "{\"details\":\"incorrect username or password\"}");
      return;
    }
    String t = "tok-" + ids.incrementAndGet();
    tokens.add(t);
    json(ex, 200, "{\"token\":\"" + t + "\",\"expires_in\":300}");
  }

  // ---- responses ----

  static void respond(HttpExchange ex, int status, Headers headers, byte[] body) throws IOException {
    if (headers != null) headers.forEach((k, v) -> v.forEach(x -> ex.getResponseHeaders().add(k, x)));
    boolean none = body.length == 0 || ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, none ? -1 : body.length);
    if (!none) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  static void json(HttpExchange ex, int status, String body) throws IOException {
    Headers h = new Headers();
    h.add("Content-Type", "application/json");
    respond(ex, status, h, body.getBytes(StandardCharsets.UTF_8));
  }

  static void errorJson(HttpExchange ex, int status, String code, String message) throws IOException {
    errorJson(ex, status, null, code, message);
  }

  static void errorJson(HttpExchange ex, int status, Headers headers, String code, String message) throws IOException {
    Headers h = headers == null ? new Headers() : headers;
    h.add("Content-Type", "application/json");
    respond(ex, status, h, ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}")
        .getBytes(StandardCharsets.UTF_8));
  }

  /** A manifest as a registry sends it: Content-Type and Docker-Content-Digest (when not null). */
  static void serveManifest(HttpExchange ex, Seen req, byte[] raw, String contentType, String digestHeader) throws IOException {
    Headers h = new Headers();
    if (contentType != null) h.add("Content-Type", contentType);
    if (digestHeader != null) h.add("Docker-Content-Digest", digestHeader);
    respond(ex, 200, h, raw);
  }

  /** A blob, honouring {@code Range: bytes=N-} with a 206. */
  void serveBlob(HttpExchange ex, Seen req, byte[] b) throws IOException {
    long from = rangeStart(req);
    Headers h = new Headers();
    h.add("Content-Type", "application/octet-stream");
    h.add("Docker-Content-Digest", Digest.sha256(b).toString());
    h.add("Accept-Ranges", "bytes");
    if (from > 0 && from < b.length) {
      h.add("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
      byte[] rest = java.util.Arrays.copyOfRange(b, (int) from, b.length);
      respond(ex, 206, h, rest);
      bytesWritten.addAndGet(rest.length);
      return;
    }
    respond(ex, 200, h, b);
    bytesWritten.addAndGet(b.length);
  }

  /** N of a {@code Range: bytes=N-} header; 0 without one. */
  static long rangeStart(Seen req) {
    String r = req.header("Range");
    if (r == null) return 0;
    Matcher m = Pattern.compile("bytes=(\\d+)-").matcher(r);
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }

  /**
   * Headers then {@code prefix}, then filler bytes for as long as the client reads, up to
   * {@link #ENDLESS_CAP}; chunked when {@code declared} is 0. Returns the body bytes written.
   */
  long endless(HttpExchange ex, int status, long declared, byte[] prefix) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(status, declared);
    long written = 0;
    byte[] filler = new byte[64 * 1024];
    java.util.Arrays.fill(filler, (byte) 'x');
    OutputStream out = ex.getResponseBody();
    try {
      out.write(prefix);
      written += prefix.length;
      bytesWritten.addAndGet(prefix.length);
      while (written < ENDLESS_CAP && (declared == 0 || written < declared)) {
        int n = (int) Math.min(filler.length, declared == 0 ? filler.length : declared - written);
        out.write(filler, 0, n);
        out.flush();
        written += n;
        bytesWritten.addAndGet(n);
      }
    } catch (IOException gone) {
      // the client stopped reading, as it should
    }
    return written;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  // ---- images ----

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String descriptor(String mediaType, Digest digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  static String configJson(List<Digest> diffIds) {
    Platform p = Platform.current();
    StringBuilder ids = new StringBuilder();
    for (Digest d : diffIds) ids.append(ids.isEmpty() ? "" : ",").append('"').append(d).append('"');
    return "{\"architecture\":\"" + p.architecture() + "\",\"os\":\"linux\""
        + (p.variant() == null ? "" : ",\"variant\":\"" + p.variant() + "\"")
        + ",\"created\":\"2024-01-01T00:00:00Z\",\"config\":{\"Cmd\":[\"sh\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}";
  }

  static String manifestJson(byte[] config, List<byte[]> layers) {
    StringBuilder ls = new StringBuilder();
    for (byte[] l : layers) {
      ls.append(ls.isEmpty() ? "" : ",").append(descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(l), l.length));
    }
    return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
        + descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length) + ",\"layers\":[" + ls + "]}";
  }

  /** An image of gzip layers made from these uncompressed tars, with diff_ids as given (null: the true ones). */
  static TestImage image(List<byte[]> tars, List<Digest> diffIds) {
    List<byte[]> layers = new ArrayList<>();
    List<Digest> ids = new ArrayList<>();
    for (byte[] t : tars) {
      layers.add(gzip(t));
      ids.add(Digest.sha256(t));
    }
    if (diffIds != null) ids = diffIds;
    byte[] config = configJson(ids).getBytes(StandardCharsets.UTF_8);
    byte[] manifest = manifestJson(config, layers).getBytes(StandardCharsets.UTF_8);
    return new TestImage(config, layers, ids, manifest, MediaTypes.OCI_MANIFEST);
  }

  static TestImage image(byte[]... tars) {
    return image(List.of(tars), null);
  }

  /** An index naming {@code manifests} (digest, size) each for {@code platforms[i]} (os/arch[/variant]). */
  static byte[] index(List<TestImage> images, List<String> platforms) {
    StringBuilder ms = new StringBuilder();
    for (int i = 0; i < images.size(); i++) {
      String[] p = platforms.get(i).split("/");
      TestImage img = images.get(i);
      ms.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(img.manifestType()).append("\",\"digest\":\"")
          .append(img.digest()).append("\",\"size\":").append(img.manifest().length).append(",\"platform\":{\"os\":\"")
          .append(p[0]).append("\",\"architecture\":\"").append(p[1]).append('"')
          .append(p.length > 2 ? ",\"variant\":\"" + p[2] + "\"" : "").append("}}");
    }
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + ms + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
