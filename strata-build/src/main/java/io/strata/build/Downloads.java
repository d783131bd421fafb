package io.strata.build;

import io.strata.build.parser.Node;
import io.strata.store.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Files of a build that come from no context: COPY heredocs, and ADD's remote sources, as Docker fetches them: the file is named after the URL's last path
 * segment, gets mode 0600 and the Last-Modified time, and is never extracted (so a hostile remote
 * archive is just a file, S36). Downloads live in the store's scratch space for one build.
 */
final class Downloads implements AutoCloseable {
  private final Path dir;
  // made on first use and closed with the build: its selector thread waits in native code, and the
  // JVM's exit waits up to 300 ms for such threads (measured: a cached build took 0.3 s longer)
  private HttpClient http;
  private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger(); // stages may download side by side

  Downloads(Path scratch) {
    try {
      this.dir = Files.createTempDirectory(scratch, "build-downloads-");
    } catch (IOException e) {
      throw new UncheckedIOException("create " + scratch, e);
    }
  }

  /** Fetches {@code url}; with {@code checksum} ({@code sha256:…}, ADD --checksum) the bytes must have that digest. */
  Path fetch(String url, Node n, String checksum) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw StageBuilder.error(n, "invalid URL " + url);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) name = "__unnamed__";
    try {
      Path file = Files.createDirectory(dir.resolve(Integer.toString(count.getAndIncrement()))).resolve(name);
      HttpResponse<InputStream> r = client().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = r.body()) {
        if (r.statusCode() / 100 != 2) {
          throw StageBuilder.error(n, "failed to load " + url + ": invalid response status " + r.statusCode());
        }
        Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
      }
      if (checksum != null) {
        io.strata.oci.Digest want;
        try {
          want = io.strata.oci.Digest.parse(checksum);
        } catch (RuntimeException e) {
          throw StageBuilder.error(n, "invalid checksum " + checksum + ": " + e.getMessage());
        }
        io.strata.oci.Digester d = io.strata.oci.Digester.forDigest(want);
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buf = new byte[1 << 16];
          for (int k; (k = in.read(buf)) > 0; ) d.update(buf, 0, k);
        }
        io.strata.oci.Digest got = d.digest();
        if (!got.equals(want)) throw StageBuilder.error(n, "digest mismatch for " + url + ": wanted " + want + ", got " + got);
      }
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      r.headers().firstValue("Last-Modified").ifPresent(lm -> {
        try {
          Files.setLastModifiedTime(file, FileTime.from(ZonedDateTime.parse(lm, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
        } catch (RuntimeException | IOException e) {
          // an unparsable date leaves the download's own time
        }
      });
      return file;
    } catch (IOException e) {
      throw StageBuilder.error(n, "failed to load " + url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StageBuilder.error(n, "interrupted while loading " + url);
    }
  }

  /** A COPY heredoc as a file named {@code name} (mode 0644) holding {@code content}. */
  Path write(String name, String content) {
    try {
      Path file = Files.createDirectory(dir.resolve(Integer.toString(count.getAndIncrement()))).resolve(name);
      Files.writeString(file, content);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("write heredoc " + name, e);
    }
  }

  private synchronized HttpClient client() {
    if (http == null) {
      http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();
    }
    return http;
  }

  @Override
  public synchronized void close() {
    if (http != null) http.close();
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("remove " + dir, e);
    }
  }
}
