package io.strata.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import io.strata.errdefs.DataLossException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.StrataException;
import io.strata.errdefs.UnavailableException;
import io.strata.image.Image;
import io.strata.image.ImageService;
import io.strata.testkit.TarFixture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Push against a hostile registry: a non-idempotent request (POST, PUT, PATCH) is never sent twice by
 * the transport, whatever the registry answers (the test fails only the first of each kind, so a
 * retry would make the push succeed); idempotent HEADs are retried; a registry that stores another
 * digest than the one sent, or answers without a usable Location, ends the push with one line.
 */
class HostilePushTest extends HostileRegistryBase {

  ImageService images;
  Image image;

  @BeforeEach
  void importImage() {
    images = ImageService.open(tmp.resolve("images"));
    image = images.importTar(TarFixture.of(TarFixture.dir("etc", 0755), TarFixture.file("etc/motd", "pushed\n", 0644)).stream(),
        List.of("CMD [\"sh\"]"), null, "local:1", null);
  }

  @AfterEach
  void closeImages() {
    images.close();
  }

  Pusher.Result push(RegistryClient c) {
    return new Pusher(images.store(), c, RegistryOptions.defaults(),
        new LayerCompressor(images.store(), LayerCompressor.Format.GZIP, true), TransferProgress.QUIET)
        .push(image, reg.ref("repo:pushed"));
  }

  /** Fails the first request of {@code method} whose path matches {@code regex} with {@code status} (-1: drops the connection). */
  AtomicInteger failFirst(String method, String regex, int status) {
    AtomicInteger seen = new AtomicInteger();
    reg.hook((ex, r) -> {
      if (!r.method().equals(method) || !r.path().matches(regex) || seen.getAndIncrement() > 0) return false;
      if (status < 0) throw new IOException("dropped on purpose");
      Headers h = new Headers();
      h.add("Retry-After", "0");
      FakeRegistry.errorJson(ex, status, h, "UNAVAILABLE", "try again later");
      return true;
    });
    return seen;
  }

  @Test
  void pushWorksAgainstTheFakeRegistry() {
    Pusher.Result r = push(client());
    assertTrue(r.size() > 0);
    assertTrue(reg.blob(image.id()) != null, "config uploaded");
    assertEquals(1, reg.count("PUT", "/v2/repo/manifests/pushed"));
    assertTrue(images.store().fsck().run().ok());
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {429, 500, 503, -1})
  void failedUploadStartIsNotRetried(int status) {
    failFirst("POST", "/v2/repo/blobs/uploads/", status);
    StrataException e = assertThrows(StrataException.class, () -> push(client()));
    assertInstanceOf(UnavailableException.class, e);
    assertOneLine(e, status < 0 ? "POST" : "push blob");
    assertEquals(0, reg.count("PUT", "/v2/repo/manifests/.*"), "a manifest was pushed after a failed blob");
    assertTrue(images.store().fsck().run().ok());
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {500, 503, -1})
  void failedBlobPutIsNotRetried(int status) {
    failFirst("PUT", "/v2/repo/blobs/uploads/.*", status);
    StrataException e = assertThrows(StrataException.class, () -> push(client()));
    assertInstanceOf(UnavailableException.class, e);
    assertOneLine(e);
    assertEquals(0, reg.count("PUT", "/v2/repo/manifests/.*"));
  }

  @ParameterizedTest(name = "status {0}")
  @ValueSource(ints = {429, 500, 503, -1})
  void failedManifestPutIsNotRetried(int status) {
    failFirst("PUT", "/v2/repo/manifests/.*", status);
    StrataException e = assertThrows(StrataException.class, () -> push(client()));
    assertInstanceOf(UnavailableException.class, e);
    assertOneLine(e, status < 0 ? "PUT" : "repo:pushed");
    assertEquals(1, reg.count("PUT", "/v2/repo/manifests/.*"), "the manifest PUT was sent again");
    assertTrue(images.store().fsck().run().ok());
  }

  @Test
  void failedHeadIsRetried() {
    AtomicInteger heads = failFirst("HEAD", "/v2/repo/blobs/.*", 503);
    push(client());
    assertTrue(heads.get() >= 2);
  }

  @Test
  void registryThatStoresAnotherManifestDigestIsReported() {
    reg.hook((ex, r) -> {
      if (!r.method().equals("PUT") || !r.path().startsWith("/v2/repo/manifests/")) return false;
      Headers h = new Headers();
      h.add("Docker-Content-Digest", "sha256:" + HostileManifestTest.HEX);
      FakeRegistry.respond(ex, 201, h, new byte[0]);
      return true;
    });
    assertOneLine(DataLossException.class, () -> push(client()), "sha256:" + HostileManifestTest.HEX, "repo:pushed");
  }

  @Test
  void uploadStartWithoutLocationFailsCleanly() {
    reg.hook((ex, r) -> {
      if (!r.method().equals("POST")) return false;
      FakeRegistry.respond(ex, 202, null, new byte[0]);
      return true;
    });
    assertOneLine(FailedPreconditionException.class, () -> push(client()), "Location", reg.host());
  }

  /** A Location that is no URI (or no HTTP URI) is a registry fault: one line, not an IllegalArgumentException. */
  @ParameterizedTest(name = "Location {0}")
  @ValueSource(strings = {"/v2/repo/blobs/uploads/has space", "http://[::1/x", "file:///etc/passwd"})
  void uploadStartWithAnUnusableLocationFailsCleanly(String location) {
    reg.hook((ex, r) -> {
      if (!r.method().equals("POST")) return false;
      Headers h = new Headers();
      h.add("Location", location);
      FakeRegistry.respond(ex, 202, h, new byte[0]);
      return true;
    });
    RuntimeException e = assertThrows(RuntimeException.class, () -> push(client()));
    assertInstanceOf(StrataException.class, e, "not a StrataException: " + e);
    assertOneLine((StrataException) e);
  }

  /** An upload Location on another host gets the blob but never the registry's credentials. */
  @Test
  void uploadLocationOnAnotherHostGetsNoCredentials() throws Exception {
    reg.auth = FakeRegistry.Auth.BASIC;
    try (FakeRegistry other = new FakeRegistry()) {
      reg.hook((ex, r) -> {
        if (!r.method().equals("POST") || !FakeRegistry.BASIC.equals(r.header("Authorization"))) return false;
        Headers h = new Headers();
        h.add("Location", other.base() + "/v2/repo/blobs/uploads/elsewhere");
        FakeRegistry.respond(ex, 202, h, new byte[0]);
        return true;
      });
      assertThrows(StrataException.class, () -> push(client(credentials())));
      assertTrue(other.count("PUT", ".*") >= 1, "the upload went to the Location: " + other.requests);
      for (FakeRegistry.Seen s : other.requests) assertNull(s.header("Authorization"), "credentials sent to " + s);
    }
  }
}
