package io.strata.registry;

import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.StrataException;
import io.strata.errdefs.UnavailableException;
import io.strata.oci.Descriptor;
import io.strata.store.PartialBlob;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one blob into its {@link PartialBlob}: from the bytes already there (a {@code Range}
 * request), again after a dropped connection or a stalled one, a bounded number of times; never
 * reading past the size the descriptor announces. The caller commits (verifies) the result.
 * Credentials go to the registry only; a layer's foreign {@code urls} are never fetched.
 */
final class BlobFetcher {
  private static final int MAX_ATTEMPTS = 6;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

  private final RegistryClient client;

  BlobFetcher(RegistryClient client) {
    this.client = client;
  }

  /** Fills {@code partial} with blob {@code d} of {@code repo}; {@code received} is told the bytes on disk. */
  void download(String repo, Descriptor d, PartialBlob partial, LongConsumer received) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      long have = partial.size();
      if (have == d.size()) return;
      if (attempt > 1) pause(attempt);
      try {
        attempt(repo, d, partial, have, received);
        if (partial.size() == d.size()) return;
        last = new UnavailableException("blob " + d.digest() + ": the connection closed at byte " + partial.size()
            + " of " + d.size(), null);
      } catch (java.io.InterruptedIOException e) {
        throw new UnavailableException("blob " + d.digest() + ": download stopped", e);
      } catch (IOException e) {
        last = new UnavailableException("blob " + d.digest() + ": " + RegistryClient.describe(e), e);
      } catch (UnavailableException e) {
        if (e.getCause() instanceof RegistryClient.ProtocolViolation || Thread.currentThread().isInterrupted()) throw e;
        last = e; // 429 and 5xx: tried again
      }
    }
    throw last;
  }

  private void attempt(String repo, Descriptor d, PartialBlob partial, long have, LongConsumer received) throws IOException {
    Map<String, String> headers = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
    HttpResponse<InputStream> r = client.send(new RegistryClient.Request("GET",
        client.uri("/v2/" + repo + "/blobs/" + d.digest()), headers, null, List.of("repository:" + repo + ":pull"), false));
    int status = r.statusCode();
    if (status == 416 && have > 0) { // what we have is not a prefix the server knows: start over
      r.body().close();
      partial.restart();
      throw new IOException("range not satisfiable");
    }
    if (status == 404) throw (NotFoundException) RegistryErrors.of(r, "blob " + d.digest() + " of " + repo);
    if (status != 200 && status != 206) {
      StrataException e = RegistryErrors.of(r, "blob " + d.digest() + " of " + repo);
      throw e;
    }
    if (status == 206) {
      Matcher m = CONTENT_RANGE.matcher(r.headers().firstValue("Content-Range").orElse(""));
      if (!m.matches() || Long.parseLong(m.group(1)) != have) {
        r.body().close();
        partial.restart();
        throw new IOException("unexpected Content-Range " + r.headers().firstValue("Content-Range").orElse("(none)"));
      }
    } else if (have > 0 && !partial.samePrefix(r.body(), have)) {
      // the registry ignored the range and sent other bytes than before: start over (readers fail)
      r.body().close();
      partial.restart();
      throw new IOException("the registry sent other bytes for " + d.digest() + " than before");
    }
    copy(r.body(), partial, d.size(), received);
  }

  /**
   * Copies at most what is missing of {@code size}; a silent connection is closed after a minute,
   * and the copy stops when the thread is interrupted.
   */
  private static void copy(InputStream body, PartialBlob partial, long size, LongConsumer received) throws IOException {
    try (body; StallWatch watch = new StallWatch(body)) {
      byte[] buf = new byte[256 * 1024];
      while (partial.size() < size) {
        if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("download stopped");
        int n = body.read(buf, 0, (int) Math.min(buf.length, size - partial.size()));
        if (n < 0) return;
        partial.write(buf, 0, n);
        watch.moved();
        received.accept(partial.size());
      }
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(200L << (attempt - 2), 5000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
    }
  }
}
