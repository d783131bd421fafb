package io.strata.registry;

import static io.strata.registry.FakeRegistry.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.StrataException;
import io.strata.errdefs.UnauthorizedException;
import io.strata.errdefs.UnavailableException;
import io.strata.registry.FakeRegistry.TestImage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Status codes, retries and redirects from a hostile registry: every error is one line of the right
 * kind; 429 and 5xx on a GET are retried a bounded number of times; 4xx are not retried; redirect
 * loops, redirects out of HTTPS and unparseable Locations end the pull cleanly.
 */
class HostileTransportTest extends HostileRegistryBase {

  static Class<? extends StrataException> kindOf(int status) {
    return switch (status) {
      case 401, 403 -> UnauthorizedException.class;
      case 404 -> NotFoundException.class;
      default -> UnavailableException.class;
    };
  }

  static boolean retried(int status) {
    return status == 429 || status >= 500;
  }

  /** Answers requests whose path matches {@code regex} with {@code status}, an error body and Retry-After: 0. */
  void failWith(String regex, int status) {
    reg.hook((ex, r) -> {
      if (!r.path().matches(regex)) return false;
      Headers h = new Headers();
      h.add("Retry-After", "0");
      FakeRegistry.errorJson(ex, status, h, "SOMETHING", "status " + status + " from the registry");
      return true;
    });
  }

  @ParameterizedTest(name = "manifest {0}")
  @ValueSource(ints = {401, 403, 404, 429, 503})
  void manifestErrorStatus(int status) {
    reg.put("repo", "t", image(tar("a", "x")));
    failWith("/v2/repo/manifests/.*", status);
    assertOneLine(kindOf(status), () -> pull("repo:t"), reg.host() + "/repo:t", "status " + status);
    int gets = reg.count("GET", "/v2/repo/manifests/.*");
    if (retried(status)) assertEquals(4, gets, "a GET answered " + status + " is retried a bounded number of times");
    else assertTrue(gets <= 2, status + " is not retried: " + gets + " requests");
    assertClean();
  }

  @ParameterizedTest(name = "config blob {0}")
  @ValueSource(ints = {401, 404, 500})
  void configErrorStatus(int status) {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "t", img);
    failWith(".*/blobs/" + img.configDigest(), status);
    assertOneLine(kindOf(status), () -> pull("repo:t"), img.configDigest().toString(), "status " + status);
    int gets = reg.count("GET", ".*/blobs/" + img.configDigest());
    if (retried(status)) assertEquals(6, gets, "a blob download (the config is one) is tried 6 times");
    else assertTrue(gets <= 2, gets + " requests");
    assertClean(img.configDigest());
  }

  @ParameterizedTest(name = "layer blob {0}")
  @ValueSource(ints = {401, 403, 404})
  void layerErrorStatusIsNotRetried(int status) {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "t", img);
    failWith(".*/blobs/" + img.layerDigest(0), status);
    assertOneLine(kindOf(status), () -> pull("repo:t"), img.layerDigest(0).toString(), "status " + status);
    assertTrue(reg.count("GET", ".*/blobs/" + img.layerDigest(0)) <= 2);
    assertClean(img.layerDigest(0));
  }

  /** A layer answered 503 forever: retried a bounded number of times (BlobFetcher's 6), then one line. */
  @Test
  void layer503IsRetriedABoundedNumberOfTimes() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "t", img);
    failWith(".*/blobs/" + img.layerDigest(0), 503);
    assertOneLine(UnavailableException.class, () -> pull("repo:t"), img.layerDigest(0).toString(), "status 503");
    int gets = reg.count("GET", ".*/blobs/" + img.layerDigest(0));
    assertTrue(gets >= 2 && gets <= 8, gets + " requests");
    assertClean(img.layerDigest(0));
  }

  /**
   * Retry-After: 0 means "now": the retries of a 503 must not add the default backoff on top (the
   * client sleeps twice per retry, once for Retry-After and again at the top of its loop).
   */
  @Test
  void retryAfterIsHonouredInsteadOfAddedToTheBackoff() {
    failWith("/v2/repo/manifests/.*", 503);
    client().uri("/"); // the ping, outside the measurement
    RegistryClient c = client();
    c.uri("/");
    long t0 = System.nanoTime();
    assertOneLine(UnavailableException.class, () -> pull(c, "repo:t", LayerUnpacker.NONE), "status 503");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(4, reg.count("GET", "/v2/repo/manifests/.*"));
    assertTrue(ms < 1000, "4 attempts answered Retry-After: 0 took " + ms + " ms");
  }

  @Test
  void errorBodyWithHugeMultiLineMessageBecomesOneShortLine() {
    reg.hook((ex, r) -> {
      if (!r.path().startsWith("/v2/repo/manifests/")) return false;
      String msg = "denied\\nby policy\\r\\n\\u0007" + "x".repeat(100_000);
      FakeRegistry.json(ex, 403, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"" + msg + "\"}]}");
      return true;
    });
    assertOneLine(UnauthorizedException.class, () -> pull("repo:t"), "denied");
  }

  @Test
  void redirectLoopOnAManifestEndsCleanly() {
    reg.hook((ex, r) -> {
      if (!r.path().startsWith("/v2/repo/manifests/")) return false;
      Headers h = new Headers();
      h.add("Location", r.path().endsWith("/t") ? "/v2/repo/manifests/u" : "/v2/repo/manifests/t");
      FakeRegistry.respond(ex, 302, h, new byte[0]);
      return true;
    });
    assertOneLine(UnavailableException.class, () -> pull("repo:t"), "redirects");
    int hops = reg.count("GET", "/v2/repo/manifests/.*");
    assertTrue(hops <= 4 * 6, hops + " requests");
    assertClean();
  }

  /** A redirect out of HTTPS to a host not allowed plain HTTP is refused (a downgrade). */
  @Test
  void redirectToPlainHttpElsewhereIsRefused() {
    reg.hook((ex, r) -> {
      if (!r.path().startsWith("/v2/repo/manifests/")) return false;
      Headers h = new Headers();
      h.add("Location", "http://mirror.registry.example.test/v2/repo/manifests/t");
      FakeRegistry.respond(ex, 301, h, new byte[0]);
      return true;
    });
    assertOneLine(UnavailableException.class, () -> pull("repo:t"), "http://mirror.registry.example.test", "not HTTPS");
  }

  @ParameterizedTest(name = "Location {0}")
  @ValueSource(strings = {"file:///etc/passwd"})
  void redirectToAnotherSchemeIsRefused(String location) {
    reg.hook((ex, r) -> {
      if (!r.path().startsWith("/v2/repo/manifests/")) return false;
      Headers h = new Headers();
      h.add("Location", location);
      FakeRegistry.respond(ex, 302, h, new byte[0]);
      return true;
    });
    assertOneLine(UnavailableException.class, () -> pull("repo:t"), "refused");
  }

  /** A Location that is no URI at all is a protocol error like any other: one line, not an IllegalArgumentException. */
  @ParameterizedTest(name = "Location {0}")
  @ValueSource(strings = {"/v2/repo/manifests/has space", "http://[::1/x", "https://127.0.0.1:99999999999/x", "%zz"})
  void unparseableRedirectLocationFailsCleanly(String location) {
    reg.hook((ex, r) -> {
      if (!r.path().startsWith("/v2/repo/manifests/")) return false;
      Headers h = new Headers();
      h.add("Location", location);
      FakeRegistry.respond(ex, 302, h, new byte[0]);
      return true;
    });
    RuntimeException e = assertThrows(RuntimeException.class, () -> pull("repo:t"));
    assertInstanceOf(StrataException.class, e, "not a StrataException: " + e);
    assertOneLine((StrataException) e, "repo");
    assertClean();
  }

  @Test
  void redirectWithoutLocationFailsCleanly() {
    reg.hook((ex, r) -> {
      if (!r.path().startsWith("/v2/repo/manifests/")) return false;
      FakeRegistry.respond(ex, 307, null, new byte[0]);
      return true;
    });
    assertOneLine(UnavailableException.class, () -> pull("repo:t"), "Location");
  }

  @Test
  void connectionDroppedBeforeAnyAnswerIsRetriedForAGet() {
    TestImage img = image(tar("a", "x"));
    reg.put("repo", "t", img);
    AtomicInteger n = new AtomicInteger();
    reg.hook((ex, r) -> {
      if (!r.path().equals("/v2/repo/manifests/t") || n.getAndIncrement() > 0) return false;
      throw new java.io.IOException("drop"); // closed without a response
    });
    assertEquals(img.configDigest(), pull("repo:t").imageId());
  }
}
