package io.strata.registry;

import static io.strata.registry.FakeRegistry.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.StrataException;
import io.strata.errdefs.UnauthorizedException;
import io.strata.errdefs.UnavailableException;
import io.strata.registry.FakeRegistry.Seen;
import io.strata.registry.FakeRegistry.TestImage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authentication against a hostile registry (SECURITY.md S28): malformed challenges, a token endpoint
 * that misbehaves, a token realm in plain HTTP, and credentials that must go to the registry and its
 * own token realm only, never to the host a blob GET is redirected to.
 */
class HostileAuthTest extends HostileRegistryBase {

  /** Answers every {@code /v2/} request with 401 and this challenge. */
  void challengeWith(String header) {
    reg.hook((ex, r) -> {
      if (!r.path().startsWith("/v2/")) return false;
      Headers h = new Headers();
      h.add("WWW-Authenticate", header);
      FakeRegistry.errorJson(ex, 401, h, "UNAUTHORIZED", "authentication required");
      return true;
    });
  }

  static Stream<String> malformedChallenges() {
    return Stream.of(
        "Bearer realm=\"https://127.0.0.1:1/token",
        "Bearer realm=\"https://127.0.0.1:1/token\",service=\"unterminated",
        "Bearer realm=\"" + "x".repeat(20_000) + "\"",
        "Bearer service=\"fake\",scope=\"repository:repo:pull\"",
        "Bearer realm=",
        "Bearer realm=\"\\",
        "Bearer realm=\"ftp://127.0.0.1:1/token\"",
        "Bearer realm=\"https://[::1/token\"",
        "Bearer realm=\"file:///etc/passwd\"",
        ",,, ,",
        "=\"x\"",
        "Negotiate YIIEZAYGKwYBBQUCoIIEWDCCBFSgJDAiBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICCqKCBCoEggQm");
  }

  /** Any malformed challenge ends the pull at once with an authentication error; nothing hangs or loops. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedChallenges")
  void malformedChallengeFailsCleanly(String header) throws Exception {
    challengeWith(header);
    assertOneLine(UnauthorizedException.class, () -> pull(client(credentials()), "repo:t", LayerUnpacker.NONE), reg.host());
    assertTrue(reg.requests.size() <= 4, "requests: " + reg.requests);
    assertEquals(0, reg.count(null, "/token"));
    assertClean();
  }

  @Test
  void tokenRealmInPlainHttpOnAnotherHostIsRefused() throws Exception {
    reg.auth = FakeRegistry.Auth.BEARER;
    reg.realm = "http://auth.registry.example.test/token";
    assertOneLine(UnauthorizedException.class, () -> pull(client(credentials()), "repo:t", LayerUnpacker.NONE),
        "http://auth.registry.example.test/token", "not HTTPS");
    assertClean();
  }

  enum TokenAnswer { GARBAGE, STATUS_500, NO_TOKEN, EMPTY_TOKEN, REFUSED, ENDLESS, REDIRECT, TOKEN_WITH_CRLF, NOT_AN_OBJECT }

  /** Whatever the token endpoint answers, the pull fails with one line and does not try again and again. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(TokenAnswer.class)
  void tokenEndpointThatMisbehavesFailsCleanly(TokenAnswer answer) throws Exception {
    reg.auth = FakeRegistry.Auth.BEARER;
    try (FakeRegistry elsewhere = new FakeRegistry()) {
      reg.hook((ex, r) -> {
        if (!r.path().equals("/token")) return false;
        switch (answer) {
          case GARBAGE -> FakeRegistry.respond(ex, 200, null, utf8("<html>\n<body>token service</body>\n</html>"));
          case STATUS_500 -> FakeRegistry.respond(ex, 500, null, utf8("oops\nstack trace\n"));
          case NO_TOKEN -> FakeRegistry.json(ex, 200, "{\"expires_in\":300}");
          case EMPTY_TOKEN -> FakeRegistry.json(ex, 200, "{\"token\":\"\",\"access_token\":\"\"}");
          case REFUSED -> FakeRegistry.json(ex, 401, "{\"details\":\"no\"}");
          case ENDLESS -> reg.endless(ex, 200, 0, utf8("{\"token\":\""));
          case REDIRECT -> {
            Headers h = new Headers();
            h.add("Location", elsewhere.base() + "/token");
            FakeRegistry.respond(ex, 302, h, new byte[0]);
          }
          case TOKEN_WITH_CRLF -> FakeRegistry.json(ex, 200, "{\"token\":\"abc\\r\\nX-Injected: yes\"}");
          case NOT_AN_OBJECT -> FakeRegistry.json(ex, 200, "[\"token\"]");
          default -> throw new IllegalStateException();
        }
        return true;
      });
      StrataException e = assertThrows(StrataException.class, () -> pull(client(credentials()), "repo:t", LayerUnpacker.NONE));
      assertOneLine(e, "127.0.0.1");
      assertTrue(reg.count(null, "/token") <= 2, "token requests: " + reg.seen(null, "/token"));
      assertEquals(List.of(), elsewhere.requests, "the token request followed a redirect");
      assertClean();
    }
  }

  @Test
  void tokenEndpointGarbageIsAnInvalidArgumentAnd500IsUnavailable() throws Exception {
    reg.auth = FakeRegistry.Auth.BEARER;
    reg.hook((ex, r) -> {
      if (!r.path().equals("/token")) return false;
      FakeRegistry.respond(ex, 503, null, utf8("down"));
      return true;
    });
    assertOneLine(UnavailableException.class, () -> pull(client(credentials()), "repo:t", LayerUnpacker.NONE), "token", "503");
  }

  /** The image, with every blob GET redirected to {@code cdn} (another port: another origin). */
  TestImage imageBehindCdn(FakeRegistry cdn) {
    TestImage img = image(tar("a", "behind a cdn"));
    reg.put("repo", "t", img);
    cdn.putBlob(img.config());
    cdn.putBlob(img.layers().get(0));
    reg.hook((ex, r) -> {
      if (!r.method().equals("GET") || !r.path().contains("/blobs/") || r.header("Authorization") == null) return false;
      Headers h = new Headers();
      h.add("Location", cdn.base() + "/blob/" + r.path().substring(r.path().lastIndexOf('/') + 1));
      FakeRegistry.respond(ex, 307, h, new byte[0]);
      return true;
    });
    return img;
  }

  static void assertNoAuthorization(FakeRegistry cdn) {
    assertFalse(cdn.requests.isEmpty(), "the redirect was not followed");
    for (Seen s : cdn.requests) assertNull(s.header("Authorization"), "credentials sent to the other host: " + s);
  }

  @Test
  void bearerTokenGoesToTheRegistryOnlyNotToTheHostABlobIsRedirectedTo() throws Exception {
    reg.auth = FakeRegistry.Auth.BEARER;
    try (FakeRegistry cdn = new FakeRegistry()) {
      TestImage img = imageBehindCdn(cdn);
      assertEquals(img.configDigest(), pull(client(credentials()), "repo:t", LayerUnpacker.NONE).imageId());
      assertNoAuthorization(cdn);
      assertEquals(2, cdn.count("GET", "/blob/.*"));
      for (Seen s : reg.seen("GET", "/token")) assertEquals(FakeRegistry.BASIC, s.header("Authorization"), "token request " + s);
      List<Seen> blobs = reg.seen("GET", ".*/blobs/.*");
      assertFalse(blobs.isEmpty());
      for (Seen s : blobs) assertTrue(String.valueOf(s.header("Authorization")).startsWith("Bearer tok-"), "registry request " + s);
      assertTrue(store.fsck().run().ok());
    }
  }

  @Test
  void basicCredentialsGoToTheRegistryOnlyNotToTheHostABlobIsRedirectedTo() throws Exception {
    reg.auth = FakeRegistry.Auth.BASIC;
    try (FakeRegistry cdn = new FakeRegistry()) {
      TestImage img = imageBehindCdn(cdn);
      assertEquals(img.configDigest(), pull(client(credentials()), "repo:t", LayerUnpacker.NONE).imageId());
      assertNoAuthorization(cdn);
      for (Seen s : reg.seen("GET", ".*/blobs/.*")) assertEquals(FakeRegistry.BASIC, s.header("Authorization"), "registry request " + s);
      assertTrue(store.fsck().run().ok());
    }
  }

  /**
   * S28: the host a blob is redirected to answers 401 with a bearer challenge naming its own token
   * realm. That challenge is not the registry's: answering it sends the registry's credentials (as
   * Basic auth to the token endpoint) to the other host. It must not be answered.
   */
  @ParameterizedTest(name = "registry auth {0}")
  @EnumSource(value = FakeRegistry.Auth.class, names = {"BASIC", "BEARER"})
  void challengeFromTheRedirectTargetIsNotAnsweredWithTheRegistrysCredentials(FakeRegistry.Auth mode) throws Exception {
    reg.auth = mode;
    try (FakeRegistry cdn = new FakeRegistry()) {
      imageBehindCdn(cdn);
      cdn.auth = FakeRegistry.Auth.BEARER;
      cdn.hook((ex, r) -> {
        if (!r.path().startsWith("/blob/")) return false;
        Headers h = new Headers();
        h.add("WWW-Authenticate", "Bearer realm=\"" + cdn.base() + "/token\",service=\"cdn\"");
        FakeRegistry.errorJson(ex, 401, h, "UNAUTHORIZED", "authentication required");
        return true;
      });
      RegistryClient c = client(credentials());
      StrataException e = assertThrows(StrataException.class, () -> pull(c, "repo:t", LayerUnpacker.NONE));
      assertOneLine(e);
      // the same client, another repository (another token scope): the registry's challenge still applies
      TestImage other = image(tar("b", "other"));
      reg.put("other", "t", other);
      try {
        pull(c, "other:t", LayerUnpacker.NONE);
      } catch (StrataException expected) {
        // the blobs are behind the same hostile CDN
      }
      assertEquals(List.of(), cdn.seen(null, "/token"), "the other host's token realm was asked, with the registry's credentials");
      assertNoAuthorization(cdn);
      assertInstanceOf(UnauthorizedException.class, e);
      assertClean();
    }
  }

  @Test
  void withoutCredentialsAnAnonymousTokenIsUsed() {
    reg.auth = FakeRegistry.Auth.BEARER;
    reg.tokenNeedsCredentials = false;
    TestImage img = image(tar("a", "anon"));
    reg.put("repo", "t", img);
    assertEquals(img.configDigest(), pull("repo:t").imageId());
    for (Seen s : reg.seen("GET", "/token")) assertNull(s.header("Authorization"));
  }

  @Test
  void wrongPasswordIsOneLineNamingTheRegistry() throws Exception {
    reg.auth = FakeRegistry.Auth.BEARER;
    CredentialStore creds = credentials();
    creds.store(reg.host(), new Credentials(FakeRegistry.USER, "wrong", null));
    assertOneLine(UnauthorizedException.class, () -> pull(client(creds), "repo:t", LayerUnpacker.NONE), "incorrect", reg.host());
    assertEquals(1, reg.count(null, "/token"));
  }

  @Test
  void malformedTokenJsonIsInvalidArgument() throws Exception {
    reg.auth = FakeRegistry.Auth.BEARER;
    reg.hook((ex, r) -> {
      if (!r.path().equals("/token")) return false;
      FakeRegistry.json(ex, 200, "{\"token\": \"a\", \"token\": \"b\"}");
      return true;
    });
    assertOneLine(InvalidArgumentException.class, () -> pull(client(credentials()), "repo:t", LayerUnpacker.NONE), "token");
  }
}
