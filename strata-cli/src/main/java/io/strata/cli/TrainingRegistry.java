package io.strata.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The least of a registry (blobs, uploads, manifests, in memory, on 127.0.0.1) that {@link AotTraining}
 * pushes to and pulls from, so that the classes of {@code push} and {@code pull} are in the start-up
 * cache. Not a registry for anything else: nothing is checked.
 */
final class TrainingRegistry implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> types = new ConcurrentHashMap<>();
  private final AtomicInteger uploads = new AtomicInteger();

  TrainingRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v2/", this::handle);
    server.start();
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      byte[] body;
      try (InputStream in = x.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (path.equals("/v2/")) {
        reply(x, 200, new byte[0]);
      } else if (path.contains("/blobs/uploads/")) {
        if (method.equals("POST")) {
          x.getResponseHeaders().add("Location", path + uploads.incrementAndGet());
          reply(x, 202, null);
        } else {
          String query = x.getRequestURI().getQuery();
          String digest = query == null ? "" : query.replaceFirst(".*digest=", "");
          blobs.put(digest, body);
          reply(x, 201, null);
        }
      } else if (path.contains("/blobs/")) {
        byte[] blob = blobs.get(path.substring(path.lastIndexOf('/') + 1));
        if (blob == null) reply(x, 404, null);
        else reply(x, 200, method.equals("HEAD") ? null : blob);
      } else if (path.contains("/manifests/")) {
        String ref = path.substring(path.lastIndexOf('/') + 1);
        if (method.equals("PUT")) {
          String type = x.getRequestHeaders().getFirst("Content-Type");
          String digest = sha256(body);
          for (String key : new String[] {ref, digest}) {
            manifests.put(key, body);
            types.put(key, type);
          }
          x.getResponseHeaders().add("Docker-Content-Digest", digest);
          reply(x, 201, null);
        } else if (manifests.containsKey(ref)) {
          x.getResponseHeaders().add("Content-Type", types.get(ref));
          x.getResponseHeaders().add("Docker-Content-Digest", sha256(manifests.get(ref)));
          reply(x, 200, method.equals("HEAD") ? null : manifests.get(ref));
        } else {
          reply(x, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8));
        }
      } else {
        reply(x, 404, null);
      }
    }
  }

  private static void reply(HttpExchange x, int status, byte[] body) throws IOException {
    x.sendResponseHeaders(status, body == null || body.length == 0 ? -1 : body.length);
    if (body != null && body.length > 0) x.getResponseBody().write(body);
  }

  private static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
