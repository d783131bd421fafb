package io.strata.registry.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.ImageIndex;
import io.strata.oci.ImageManifest;
import io.strata.oci.Json;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The OCI distribution-spec v1.1 API over a {@link RegistryStorage}: blobs (GET, HEAD with ranges,
 * DELETE), uploads (monolithic, sessions with PATCH chunks, status, cancel, cross-repository mount),
 * manifests (GET, HEAD, PUT with every reference checked, DELETE), tags with pagination, the
 * catalog, referrers; plus {@code /token}, {@code /metrics} and {@code /healthz}. Each request is
 * checked by {@link Access} before it touches storage; errors are the spec's codes.
 */
final class RegistryHandler extends Handler.Abstract {
  static final int MAX_MANIFEST_BYTES = 4 << 20;
  static final int MAX_PAGE = 10_000;
  private static final Pattern BASE = Pattern.compile("/v2/?");
  private static final Pattern CATALOG = Pattern.compile("/v2/_catalog");
  private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/?");
  private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
  private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");
  private static final Pattern RANGE = Pattern.compile("(\\d{1,18})?-(\\d{1,18})?");
  private static final String INTERNAL_ERROR = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"internal error\"}]}";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RegistryHandler.class);

  private final RegistryStorage storage;
  private final Access access;
  private final TokenEndpoint tokens;
  private final Metrics metrics;
  private final PrintStream accessLog;
  private final boolean readOnly;
  private final boolean deletes;
  private final boolean redirects;

  RegistryHandler(RegistryStorage storage, Access access, TokenEndpoint tokens, Metrics metrics, PrintStream accessLog,
      boolean readOnly, boolean deletes, boolean redirects) {
    this.storage = storage;
    this.access = access;
    this.tokens = tokens;
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.readOnly = readOnly;
    this.deletes = deletes;
    this.redirects = redirects;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(request, response);
    long started = System.nanoTime();
    metrics.inFlight.incrementAndGet();
    try {
      x.set("Docker-Distribution-API-Version", "registry/2.0");
      route(x);
      callback.succeeded();
    } catch (RegistryError e) {
      fail(x, e, callback);
    } catch (IllegalArgumentException e) { // a digest or document that does not parse
      fail(x, new RegistryError(RegistryError.Code.DIGEST_INVALID, "invalid: " + e.getMessage()), callback);
    } catch (io.strata.errdefs.InvalidArgumentException e) {
      fail(x, new RegistryError(RegistryError.Code.DIGEST_INVALID, e.getMessage()), callback);
    } catch (Throwable t) {
      internalError(x, t, callback);
    } finally {
      metrics.inFlight.decrementAndGet();
      metrics.request(x.method(), x.status());
      metrics.bytesIn.add(x.bytesIn);
      metrics.bytesOut.add(x.bytesOut);
      log(x, started);
    }
    return true;
  }

  private void fail(Exchange x, RegistryError e, Callback callback) {
    try {
      if (!x.response.isCommitted()) {
        x.response.getHeaders().remove("Content-Length");
        x.json(e.status, e.json());
      }
      callback.succeeded();
    } catch (IOException io) {
      callback.failed(io);
    }
  }

  /**
   * Anything else (a storage failure, a bug): the detail goes to the log, never to the client (it may
   * name buckets, keys or paths), who gets the spec's error document. A response already committed
   * (a blob half sent) can only be aborted.
   */
  private void internalError(Exchange x, Throwable t, Callback callback) {
    if (t instanceof org.eclipse.jetty.io.EofException) {
      LOG.debug("{} {}: the client went away", x.method(), x.path(), t); // not the registry's fault: no warning
    } else {
      LOG.warn("{} {}: internal error", x.method(), x.path(), t);
    }
    x.status(500);
    if (x.response.isCommitted()) {
      callback.failed(t);
      return;
    }
    try {
      x.response.getHeaders().remove("Content-Length");
      x.json(500, INTERNAL_ERROR);
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
    }
  }

  private void log(Exchange x, long started) {
    if (accessLog == null) return;
    ObjectNode n = Json.mapper().createObjectNode().put("time", Instant.now().toString())
        .put("remote", Request.getRemoteAddr(x.request)).put("method", x.method()).put("path", x.path())
        .put("status", x.status()).put("bytes_in", x.bytesIn).put("bytes_out", x.bytesOut)
        .put("duration_ms", (System.nanoTime() - started) / 1_000_000).put("user", x.user);
    accessLog.println(n);
  }

  private void route(Exchange x) throws IOException {
    if (!canonical(x.rawPath())) throw new RegistryError(RegistryError.Code.NAME_INVALID, "non-canonical request path");
    String p = x.path();
    String m = x.method();
    Matcher g;
    if (p.equals("/healthz")) {
      x.json(200, "{\"status\":\"ok\"}");
    } else if (p.equals("/metrics")) {
      x.bytes(200, "text/plain; version=0.0.4", metrics.render().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else if (p.equals("/token") && tokens != null) {
      tokens.handle(x);
    } else if (BASE.matcher(p).matches()) {
      base(x);
    } else if (CATALOG.matcher(p).matches()) {
      authorize(x, new Access.Need(null, "pull"));
      catalog(x);
    } else if ((g = UPLOADS.matcher(p)).matches() && m.equals("POST")) {
      startUpload(x, name(g.group(1)));
    } else if ((g = UPLOAD.matcher(p)).matches()) {
      upload(x, name(g.group(1)), g.group(2));
    } else if ((g = BLOB.matcher(p)).matches()) {
      blob(x, name(g.group(1)), digest(g.group(2)));
    } else if ((g = MANIFEST.matcher(p)).matches()) {
      manifest(x, name(g.group(1)), g.group(2));
    } else if ((g = TAGS.matcher(p)).matches() && m.equals("GET")) {
      String repo = name(g.group(1));
      authorize(x, new Access.Need(repo, "pull"));
      tags(x, repo);
    } else if ((g = REFERRERS.matcher(p)).matches() && m.equals("GET")) {
      String repo = name(g.group(1));
      authorize(x, new Access.Need(repo, "pull"));
      referrers(x, repo, digest(g.group(2)));
    } else {
      throw new RegistryError(RegistryError.Code.UNSUPPORTED, 404, "no such endpoint");
    }
  }

  /**
   * Jetty normalises {@code a;b}, {@code a/.}, {@code zz/../a} and {@code a/x/..} to {@code a}: such a
   * path would act on a repository other than the one a path-based rule in front of the registry saw,
   * so it is refused rather than rewritten.
   */
  static boolean canonical(String rawPath) {
    if (rawPath == null || rawPath.indexOf(';') >= 0) return false;
    for (String seg : rawPath.split("/", -1)) {
      String dots = seg.replace("%2e", ".").replace("%2E", ".");
      if (dots.equals(".") || dots.equals("..")) return false;
    }
    return true;
  }

  private static String name(String s) {
    return RepositoryName.check(s);
  }

  private static Digest digest(String s) {
    try {
      return Digest.parse(s).requireSupported();
    } catch (RuntimeException e) {
      throw new RegistryError(RegistryError.Code.DIGEST_INVALID, "invalid digest");
    }
  }

  private void authorize(Exchange x, Access.Need need) {
    Map<String, String> challenge = new HashMap<>();
    try {
      access.check(x.header("Authorization"), need, challenge);
    } finally {
      challenge.forEach(x::set);
    }
    if (readOnly && !need.action().equals("pull")) {
      throw new RegistryError(RegistryError.Code.UNSUPPORTED, 405, "the registry is in read-only mode");
    }
  }

  private void base(Exchange x) throws IOException {
    Map<String, String> challenge = new HashMap<>();
    if (!access.authenticated(x.header("Authorization"), challenge)) {
      challenge.forEach(x::set);
      throw new RegistryError(RegistryError.Code.UNAUTHORIZED, "authentication required");
    }
    x.json(200, "{}");
  }

  // ---- blobs

  private void blob(Exchange x, String repo, Digest d) throws IOException {
    switch (x.method()) {
      case "GET", "HEAD" -> {
        authorize(x, new Access.Need(repo, "pull"));
        Optional<Long> size = storage.isLinked(repo, d) ? storage.blobSize(d) : Optional.empty();
        if (size.isEmpty()) throw new RegistryError(RegistryError.Code.BLOB_UNKNOWN, "blob unknown to registry");
        if (redirects && x.method().equals("GET")) {
          Optional<URI> to = storage.blobRedirect(d);
          if (to.isPresent()) {
            x.status(307).set("Location", to.get().toString()).set("Docker-Content-Digest", d.toString()).empty();
            return;
          }
        }
        sendBlob(x, d, size.get());
      }
      case "DELETE" -> {
        authorize(x, new Access.Need(repo, "delete"));
        if (!deletes) throw new RegistryError(RegistryError.Code.UNSUPPORTED, 405, "deletes are not enabled");
        if (!storage.isLinked(repo, d)) throw new RegistryError(RegistryError.Code.BLOB_UNKNOWN, "blob unknown to registry");
        storage.unlink(repo, d);
        x.status(202).empty();
      }
      default -> throw new RegistryError(RegistryError.Code.UNSUPPORTED, 405, "method not allowed");
    }
  }

  private void sendBlob(Exchange x, Digest d, long size) throws IOException {
    x.set("Docker-Content-Digest", d.toString()).set("Content-Type", "application/octet-stream")
        .set("Accept-Ranges", "bytes").set("ETag", "\"" + d + "\"");
    long[] r = x.method().equals("HEAD") ? null : range(x.header("Range"), size);
    if (r == null) {
      x.status(200);
      x.stream(x.method().equals("HEAD") ? InputStream.nullInputStream() : storage.readBlob(d, 0, size), size);
      return;
    }
    if (r.length == 0) {
      x.set("Content-Range", "bytes */" + size);
      throw new RegistryError(RegistryError.Code.RANGE_INVALID, 416, "range not satisfiable");
    }
    long start = r[0];
    long end = r[1];
    x.status(206).set("Content-Range", "bytes " + start + "-" + end + "/" + size);
    x.stream(storage.readBlob(d, start, end - start + 1), end - start + 1);
  }

  /**
   * The byte range a {@code Range} header asks of {@code size} bytes: {start, end} inclusive, an empty
   * array when it cannot be satisfied (416), or null to send the whole blob. RFC 9110 14.2 lets a
   * server ignore a Range but not refuse a satisfiable one, so what is not served as one part (other
   * units, several ranges, an empty blob) is answered with everything; a malformed range is refused
   * (416), as distribution does.
   */
  static long[] range(String header, long size) {
    if (header == null) return null;
    String h = header.strip();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return null; // a unit we do not know: ignored
    String spec = h.substring(6).strip();
    if (spec.contains(",")) return null; // several ranges: the whole blob satisfies them all
    Matcher m = RANGE.matcher(spec);
    if (!m.matches() || m.group(1) == null && m.group(2) == null) {
      throw new RegistryError(RegistryError.Code.RANGE_INVALID, 416, "invalid range");
    }
    if (m.group(1) == null) { // the last n bytes
      long n = Long.parseLong(m.group(2));
      if (n == 0) return new long[0];
      if (size == 0) return null;
      return new long[] {Math.max(0, size - n), size - 1};
    }
    long start = Long.parseLong(m.group(1));
    if (m.group(2) != null && Long.parseLong(m.group(2)) < start) {
      throw new RegistryError(RegistryError.Code.RANGE_INVALID, 416, "invalid range");
    }
    if (start >= size) return new long[0];
    long end = m.group(2) == null ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
    return new long[] {start, end};
  }

  // ---- uploads

  private void startUpload(Exchange x, String repo) throws IOException {
    authorize(x, new Access.Need(repo, "push"));
    String mount = x.query("mount");
    String from = x.query("from");
    if (mount != null && from != null && mountBlob(x, repo, digest(mount), from)) return;
    String monolithic = x.query("digest");
    if (monolithic != null) {
      Digest d = digest(monolithic);
      storage.putBlob(x.body(), d, x.contentLength());
      storage.link(repo, d);
      metrics.uploadsCompleted.increment();
      x.status(201).set("Location", "/v2/" + repo + "/blobs/" + d).set("Docker-Content-Digest", d.toString()).empty();
      return;
    }
    RegistryStorage.Upload u = storage.startUpload(repo);
    metrics.uploadsStarted.increment();
    x.status(202).set("Location", uploadUrl(u)).set("Range", "0-0").set("Docker-Upload-UUID", u.id()).empty();
  }

  /**
   * A cross-repository mount: done when the client may pull {@code from} and the blob is there; else
   * false, and a session is started instead (the spec's fallback), revealing nothing of {@code from}.
   */
  private boolean mountBlob(Exchange x, String repo, Digest d, String from) throws IOException {
    try {
      RepositoryName.check(from);
      access.check(x.header("Authorization"), new Access.Need(from, "pull"), new HashMap<>());
    } catch (RegistryError e) {
      return false;
    }
    if (!storage.isLinked(from, d) || storage.blobSize(d).isEmpty()) return false;
    storage.link(repo, d);
    x.status(201).set("Location", "/v2/" + repo + "/blobs/" + d).set("Docker-Content-Digest", d.toString()).empty();
    return true;
  }

  private static String uploadUrl(RegistryStorage.Upload u) {
    return "/v2/" + u.repository() + "/blobs/uploads/" + u.id();
  }

  private void upload(Exchange x, String repo, String id) throws IOException {
    authorize(x, new Access.Need(repo, x.method().equals("GET") ? "pull" : "push"));
    RegistryStorage.Upload u = storage.upload(id).filter(up -> up.repository().equals(repo))
        .orElseThrow(() -> new RegistryError(RegistryError.Code.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry"));
    switch (x.method()) {
      case "GET" -> status(x, u, u.size(), 204);
      case "PATCH" -> {
        long offset = u.size();
        long length = x.contentLength();
        String range = x.header("Content-Range");
        if (range != null) {
          Matcher r = Pattern.compile("(?:bytes )?(\\d{1,18})-(\\d{1,18})").matcher(range.strip());
          if (!r.matches()) throw new RegistryError(RegistryError.Code.RANGE_INVALID, 416, "invalid Content-Range");
          long start = Long.parseLong(r.group(1));
          long end = Long.parseLong(r.group(2));
          if (start != u.size() || end < start) {
            throw new RegistryError(RegistryError.Code.RANGE_INVALID, 416, "chunk out of order: the upload holds " + u.size() + " bytes");
          }
          if (length >= 0 && length != end - start + 1) {
            throw new RegistryError(RegistryError.Code.SIZE_INVALID, "Content-Length disagrees with Content-Range");
          }
          length = end - start + 1;
          offset = start;
        }
        long size = storage.append(id, offset, x.body(), length);
        status(x, u, size, 202);
      }
      case "PUT" -> {
        String given = x.query("digest");
        if (given == null) throw new RegistryError(RegistryError.Code.DIGEST_INVALID, "digest missing");
        Digest d = digest(given);
        long length = x.contentLength();
        if (length != 0) storage.append(id, u.size(), x.body(), length);
        storage.commitUpload(id, d);
        storage.link(repo, d);
        metrics.uploadsCompleted.increment();
        x.status(201).set("Location", "/v2/" + repo + "/blobs/" + d).set("Docker-Content-Digest", d.toString()).empty();
      }
      case "DELETE" -> {
        storage.cancelUpload(id);
        x.status(204).empty();
      }
      default -> throw new RegistryError(RegistryError.Code.UNSUPPORTED, 405, "method not allowed");
    }
  }

  private static void status(Exchange x, RegistryStorage.Upload u, long size, int code) {
    x.status(code).set("Location", uploadUrl(u)).set("Range", "0-" + Math.max(0, size - 1))
        .set("Docker-Upload-UUID", u.id()).empty();
  }

  // ---- manifests

  private void manifest(Exchange x, String repo, String reference) throws IOException {
    switch (x.method()) {
      case "GET", "HEAD" -> {
        authorize(x, new Access.Need(repo, "pull"));
        Digest d = resolve(repo, reference);
        String type = storage.manifestType(repo, d)
            .orElseThrow(() -> new RegistryError(RegistryError.Code.MANIFEST_UNKNOWN, "manifest unknown"));
        if (!acceptable(x.headerList("Accept"), type)) {
          throw new RegistryError(RegistryError.Code.MANIFEST_UNKNOWN, "the manifest is " + type + ", which the Accept header does not list");
        }
        long size = storage.blobSize(d).orElseThrow(() -> new RegistryError(RegistryError.Code.MANIFEST_UNKNOWN, "manifest unknown"));
        x.status(200).set("Content-Type", type).set("Docker-Content-Digest", d.toString()).set("ETag", "\"" + d + "\"");
        x.stream(x.method().equals("HEAD") ? InputStream.nullInputStream() : storage.readBlob(d, 0, size), size);
      }
      case "PUT" -> putManifest(x, repo, reference);
      case "DELETE" -> {
        authorize(x, new Access.Need(repo, "delete"));
        if (!deletes) throw new RegistryError(RegistryError.Code.UNSUPPORTED, 405, "deletes are not enabled");
        if (reference.startsWith("sha") && reference.contains(":")) {
          Digest d = digest(reference);
          if (storage.manifestType(repo, d).isEmpty()) throw new RegistryError(RegistryError.Code.MANIFEST_UNKNOWN, "manifest unknown");
          for (String t : storage.tags(repo)) if (storage.tag(repo, t).map(d::equals).orElse(false)) storage.deleteTag(repo, t);
          storage.unlinkManifest(repo, d);
        } else if (!RepositoryName.isTag(reference) || !storage.deleteTag(repo, reference)) {
          throw new RegistryError(RegistryError.Code.MANIFEST_UNKNOWN, "manifest unknown");
        }
        x.status(202).empty();
      }
      default -> throw new RegistryError(RegistryError.Code.UNSUPPORTED, 405, "method not allowed");
    }
  }

  private Digest resolve(String repo, String reference) throws IOException {
    if (reference.contains(":")) return digest(reference);
    if (!RepositoryName.isTag(reference)) throw new RegistryError(RegistryError.Code.MANIFEST_INVALID, "invalid tag");
    return storage.tag(repo, reference).orElseThrow(() -> new RegistryError(RegistryError.Code.MANIFEST_UNKNOWN, "manifest unknown"));
  }

  /** Docker's types always; an OCI type only to a client that lists it (or a wildcard, or nothing), as distribution. */
  private static boolean acceptable(String accept, String type) {
    if (accept == null || accept.isBlank() || !type.startsWith("application/vnd.oci.")) return true;
    for (String a : accept.split(",")) {
      String t = a.split(";")[0].strip();
      if (t.equals(type) || t.equals("*/*") || t.equals("application/*")) return true;
    }
    return false;
  }

  /** A refused body up to this size is read to its end first, so the client, still sending, reads the answer. */
  private static final long DISCARD_LIMIT = 16L << 20;

  /**
   * Reads and drops what is left of a request's body, at most {@code limit} bytes: answering
   * before a client has sent its body makes the connection close under it, and a client still
   * writing then sees a reset instead of the error (found by the 4 MiB manifest test).
   */
  private static void discard(java.io.InputStream body, long limit) {
    try {
      long left = limit;
      while (left > 0) {
        long n = body.skip(Math.min(left, 1 << 20));
        if (n <= 0 && body.read() < 0) return;
        left -= Math.max(n, 1);
      }
    } catch (IOException e) {
      // the client is gone: nobody reads the answer either
    }
  }

  private void putManifest(Exchange x, String repo, String reference) throws IOException {
    authorize(x, new Access.Need(repo, "push"));
    long declared = x.contentLength();
    byte[] raw = declared > MAX_MANIFEST_BYTES ? null : x.body().readNBytes(MAX_MANIFEST_BYTES + 1);
    if (raw == null || raw.length > MAX_MANIFEST_BYTES) {
      discard(x.body(), DISCARD_LIMIT);
      throw new RegistryError(RegistryError.Code.MANIFEST_INVALID, 413, "manifest too large");
    }
    String type = x.header("Content-Type") == null ? null : x.header("Content-Type").split(";")[0].strip();
    Parsed<ManifestDocument> parsed;
    try {
      parsed = Manifests.parse(raw, type);
    } catch (RuntimeException e) {
      throw new RegistryError(RegistryError.Code.MANIFEST_INVALID, "manifest invalid: " + oneLine(e.getMessage()));
    }
    Digest d = parsed.digest();
    boolean byTag = !reference.contains(":");
    if (byTag && !RepositoryName.isTag(reference)) throw new RegistryError(RegistryError.Code.MANIFEST_INVALID, "invalid tag");
    if (!byTag) {
      Digest given = digest(reference);
      Digest actual = io.strata.oci.Digester.forDigest(given).update(raw).digest();
      if (!actual.equals(given)) throw new RegistryError(RegistryError.Code.DIGEST_INVALID, "the manifest's digest is " + actual);
      d = given;
    }
    checkReferences(repo, parsed.value());
    storage.putBlob(new ByteArrayInputStream(raw), d, raw.length);
    storage.linkManifest(repo, d, parsed.mediaType());
    Descriptor subject = switch (parsed.value()) {
      case ImageManifest im -> im.subject();
      case ImageIndex ii -> ii.subject();
    };
    if (subject != null) {
      storage.addReferrer(repo, subject.digest().requireSupported(), d);
      x.set("OCI-Subject", subject.digest().toString());
    }
    if (byTag) storage.putTag(repo, reference, d);
    x.status(201).set("Location", "/v2/" + repo + "/manifests/" + d).set("Docker-Content-Digest", d.toString()).empty();
  }

  /** Every blob and child manifest a manifest names must be in this repository (MANIFEST_BLOB_UNKNOWN otherwise). */
  private void checkReferences(String repo, ManifestDocument doc) throws IOException {
    switch (doc) {
      case ImageManifest m -> {
        List<Descriptor> blobs = new ArrayList<>(m.layers());
        if (m.config() != null) blobs.add(m.config());
        for (Descriptor b : blobs) {
          if (MediaTypes.isNonDistributable(b.mediaType()) && b.urls() != null && !b.urls().isEmpty()) continue;
          Digest bd = b.digest().requireSupported();
          if (!storage.isLinked(repo, bd) || storage.blobSize(bd).map(s -> s != b.size()).orElse(true)) {
            throw new RegistryError(RegistryError.Code.MANIFEST_BLOB_UNKNOWN, "blob unknown to registry: " + bd);
          }
        }
      }
      case ImageIndex i -> {
        for (Descriptor c : i.manifests()) {
          if (storage.manifestType(repo, c.digest().requireSupported()).isEmpty()) {
            throw new RegistryError(RegistryError.Code.MANIFEST_BLOB_UNKNOWN, "manifest unknown to registry: " + c.digest());
          }
        }
      }
    }
  }

  private static String oneLine(String s) {
    if (s == null) return "";
    String t = s.replaceAll("[\\r\\n\\t]+", " ");
    return t.length() > 200 ? t.substring(0, 200) : t;
  }

  // ---- listings

  private void tags(Exchange x, String repo) throws IOException {
    List<String> all = storage.tags(repo);
    if (all.isEmpty() && storage.manifests(repo).isEmpty()) throw new RegistryError(RegistryError.Code.NAME_UNKNOWN, "repository name not known to registry");
    page(x, "/v2/" + repo + "/tags/list", all, list -> {
      ObjectNode n = Json.mapper().createObjectNode().put("name", repo);
      ArrayNode a = n.putArray("tags");
      list.forEach(a::add);
      return n;
    });
  }

  private void catalog(Exchange x) throws IOException {
    page(x, "/v2/_catalog", storage.repositories(), list -> {
      ObjectNode n = Json.mapper().createObjectNode();
      ArrayNode a = n.putArray("repositories");
      list.forEach(a::add);
      return n;
    });
  }

  /** {@code n} and {@code last} over a sorted list, with a {@code Link} to the next page when there is more. */
  private static void page(Exchange x, String path, List<String> sorted, java.util.function.Function<List<String>, ObjectNode> body)
      throws IOException {
    String nParam = x.query("n");
    String last = x.query("last");
    int n = MAX_PAGE;
    if (nParam != null) {
      if (!nParam.matches("\\d{1,9}")) throw new RegistryError(RegistryError.Code.PAGINATION_NUMBER_INVALID, "invalid n");
      n = Math.min(Integer.parseInt(nParam), MAX_PAGE);
    }
    List<String> after = last == null ? sorted : sorted.stream().filter(s -> s.compareTo(last) > 0).toList();
    List<String> page = after.subList(0, Math.min(n, after.size()));
    if (after.size() > page.size() && !page.isEmpty()) {
      x.set("Link", "<" + path + "?n=" + n + "&last=" + java.net.URLEncoder.encode(page.getLast(), java.nio.charset.StandardCharsets.UTF_8)
          + ">; rel=\"next\"");
    }
    x.json(200, Json.mapper().writeValueAsString(body.apply(page)));
  }

  private void referrers(Exchange x, String repo, Digest subject) throws IOException {
    String artifactType = x.query("artifactType");
    List<Descriptor> out = new ArrayList<>();
    for (Digest r : storage.referrers(repo, subject)) {
      Optional<String> type = storage.manifestType(repo, r);
      Optional<Long> size = storage.blobSize(r);
      if (type.isEmpty() || size.isEmpty() || size.get() > MAX_MANIFEST_BYTES) continue;
      byte[] raw;
      try (InputStream in = storage.readBlob(r, 0, size.get())) {
        raw = in.readAllBytes();
      }
      Parsed<ManifestDocument> p = Manifests.parse(raw, type.get());
      String at;
      Map<String, String> annotations;
      switch (p.value()) {
        case ImageManifest im -> {
          at = im.artifactType() != null ? im.artifactType() : im.config() == null ? null : im.config().mediaType();
          annotations = im.annotations();
        }
        case ImageIndex ii -> {
          at = ii.artifactType();
          annotations = ii.annotations();
        }
      }
      if (artifactType != null && !artifactType.equals(at)) continue;
      out.add(new Descriptor(type.get(), r, size.get(), null, annotations, null, at, null));
    }
    if (artifactType != null) x.set("OCI-Filters-Applied", "artifactType");
    ImageIndex index = ImageIndex.of(MediaTypes.OCI_INDEX, out);
    x.bytes(200, MediaTypes.OCI_INDEX, Json.write(index));
  }
}
