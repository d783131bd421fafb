package io.strata.registry.server;

import static io.strata.registry.server.RegistryHttp.OCI_CONFIG;
import static io.strata.registry.server.RegistryHttp.OCI_MANIFEST;
import static io.strata.registry.server.RegistryHttp.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.registry.server.RegistryFixture.Storage;
import io.strata.registry.server.RegistryHttp.Image;
import io.strata.registry.server.RegistryHttp.Resp;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mindrot.jbcrypt.BCrypt;

/**
 * Authentication and authorization (SECURITY.md S37-S39): htpasswd basic auth, the built-in token
 * endpoint and its tokens (scope confusion, forged, expired), anonymous read, cross-repository mount
 * authorization and repository-local blob reads under an ACL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAuthTest {
  static final String SERVICE = "strata-test";
  static final String REALM = "https://auth.invalid/token";
  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Path dir;
  private Path htpasswd;
  private final List<RegistryFixture> started = new ArrayList<>();

  @BeforeAll
  void users() throws Exception {
    dir = Files.createTempDirectory("strata-auth-");
    htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, htpasswdLine("alice", "alice-pw") + htpasswdLine("bob", "bob-pw"));
  }

  @AfterAll
  void cleanUp() throws Exception {
    for (RegistryFixture f : started) f.close();
    S3ProxyFixture.deleteTree(dir);
  }

  /** A bcrypt line as {@code htpasswd -Bbn} writes it (jBCrypt when htpasswd is not installed). */
  static String htpasswdLine(String user, String password) throws Exception {
    try {
      Process p = new ProcessBuilder("htpasswd", "-Bbn", user, password).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) return out.strip() + "\n";
    } catch (IOException notInstalled) {
      // below
    }
    return user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(5)).replace("$2a$", "$2y$") + "\n";
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private RegistryFixture start(Storage s, java.util.function.UnaryOperator<RegistryConfig> c) throws Exception {
    RegistryFixture f = RegistryFixture.start(s, c);
    started.add(f);
    return f;
  }

  private RegistryFixture basicRegistry(Storage s, boolean anonymousRead) throws Exception {
    return start(s, c -> c.withAuth(htpasswd, null, anonymousRead));
  }

  private RegistryFixture tokenRegistry(Storage s, boolean anonymousRead) throws Exception {
    return start(s, c -> c.withAuth(htpasswd, new RegistryConfig.Token(REALM, SERVICE, KEY), anonymousRead));
  }

  private static RegistryConfig withAcl(RegistryConfig c, List<Access.Acl.Entry> acl) {
    return new RegistryConfig(c.addr(), c.root(), c.s3(), c.htpasswd(), c.token(), c.anonymousRead(), acl, c.tlsCert(),
        c.tlsKey(), c.readOnly(), c.delete(), c.accessLog());
  }

  /** A token from the registry's own endpoint: {@code user} null for anonymous. */
  static String token(RegistryHttp h, String user, String password, String... scopes) throws IOException {
    StringBuilder q = new StringBuilder("/token?service=" + SERVICE);
    for (String s : scopes) q.append("&scope=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
    Resp r = user == null ? h.get(q.toString()) : h.get(q.toString(), "Authorization", basic(user, password));
    assertEquals(200, r.status(), r::toString);
    String t = r.json().path("token").asText();
    assertEquals(t, r.json().path("access_token").asText());
    return t;
  }

  static JsonNode claims(String token) {
    return Json.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]), "claims");
  }

  /** A JWT as the registry's TokenIssuer shapes it, signed HS256 with {@code key}. */
  static String jwt(byte[] key, Map<String, Object> header, Map<String, Object> claims) throws Exception {
    String body = b64(RegistryHttp.json(header)) + "." + b64(RegistryHttp.json(claims));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return body + "." + b64(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
  }

  static Map<String, Object> claimsFor(String repo, List<String> actions, long exp, String aud) {
    return Map.of("iss", SERVICE, "aud", aud, "sub", "alice", "exp", exp, "iat", Instant.now().getEpochSecond(),
        "access", List.of(Map.of("type", "repository", "name", repo, "actions", actions)));
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void assertUnauthorized(Resp r) {
    assertEquals(401, r.status(), r::toString);
    assertNotNull(r.header("WWW-Authenticate"), r::toString);
    if (r.body().length > 0) assertEquals("UNAUTHORIZED", r.code(), r::toString);
  }

  // ---- basic

  @Test
  void htpasswdBasicAuth() throws Exception {
    RegistryFixture f = basicRegistry(Storage.FILESYSTEM, false);
    RegistryHttp anon = new RegistryHttp(f.port());
    RegistryHttp alice = anon.with("Authorization", basic("alice", "alice-pw"));
    Resp base = anon.get("/v2/");
    assertUnauthorized(base);
    assertTrue(base.header("WWW-Authenticate").startsWith("Basic realm="), base::toString);
    assertEquals("registry/2.0", base.header("Docker-Distribution-API-Version"));
    assertUnauthorized(anon.get("/v2/", "Authorization", basic("alice", "wrong")));
    assertUnauthorized(anon.get("/v2/", "Authorization", basic("mallory", "alice-pw")));
    assertUnauthorized(anon.get("/v2/", "Authorization", "Basic !!!not-base64"));
    assertUnauthorized(anon.get("/v2/", "Authorization", basic("alice", "")));
    assertEquals(200, alice.get("/v2/").status());

    Image img = alice.pushImage("team/app", "v1", "layer");
    assertUnauthorized(anon.get("/v2/team/app/manifests/v1"));
    assertUnauthorized(anon.get("/v2/team/app/blobs/" + img.layers().getFirst()));
    assertUnauthorized(anon.get("/v2/team/app/tags/list"));
    assertUnauthorized(anon.get("/v2/_catalog"));
    assertUnauthorized(anon.post("/v2/team/app/blobs/uploads/", new byte[0]));
    assertUnauthorized(anon.get("/v2/team/app/manifests/v1", "Authorization", basic("bob", "alice-pw")));
    assertArrayEquals(img.manifest(), alice.get("/v2/team/app/manifests/v1").body());
    assertEquals(200, anon.with("Authorization", basic("bob", "bob-pw")).get("/v2/team/app/tags/list").status());
  }

  @Test
  void anonymousReadPullsButNeverWrites() throws Exception {
    RegistryFixture f = basicRegistry(Storage.FILESYSTEM, true);
    RegistryHttp anon = new RegistryHttp(f.port());
    RegistryHttp alice = anon.with("Authorization", basic("alice", "alice-pw"));
    Image img = alice.pushImage("pub/app", "v1", "layer");
    assertArrayEquals(img.manifest(), anon.get("/v2/pub/app/manifests/v1").body());
    assertEquals(200, anon.get("/v2/pub/app/blobs/" + img.layers().getFirst()).status());
    assertEquals(200, anon.get("/v2/pub/app/tags/list").status());
    String loc = alice.startUpload("pub/app");
    List<Resp> writes = List.of(
        anon.post("/v2/pub/app/blobs/uploads/", new byte[0]),
        anon.post("/v2/pub/app/blobs/uploads/?digest=" + Digest.sha256(bytes("x")), bytes("x")),
        anon.post("/v2/pub/other/blobs/uploads/?mount=" + img.layers().getFirst() + "&from=pub/app", new byte[0]),
        anon.patch(loc, bytes("x")),
        anon.put(loc + "?digest=" + Digest.sha256(bytes("x")), bytes("x")),
        anon.delete(loc),
        anon.put("/v2/pub/app/manifests/v2", img.manifest(), "Content-Type", OCI_MANIFEST),
        anon.delete("/v2/pub/app/manifests/v1"),
        anon.delete("/v2/pub/app/blobs/" + img.layers().getFirst()));
    for (Resp r : writes) assertUnauthorized(r);
    assertUnauthorized(anon.get("/v2/pub/app/manifests/v1", "Authorization", basic("alice", "wrong")));
    assertEquals(200, alice.get("/v2/pub/app/manifests/v1").status());
    assertEquals(404, alice.get("/v2/pub/app/manifests/v2").status());
    assertEquals(204, alice.get(loc).status());
  }

  // ---- tokens

  @Test
  void tokenEndpointAndScopes() throws Exception {
    RegistryFixture f = tokenRegistry(Storage.FILESYSTEM, false);
    RegistryHttp h = new RegistryHttp(f.port());
    Resp base = h.get("/v2/");
    assertUnauthorized(base);
    String challenge = base.header("WWW-Authenticate");
    assertTrue(challenge.startsWith("Bearer "), challenge);
    assertTrue(challenge.contains("realm=\"" + REALM + "\"") && challenge.contains("service=\"" + SERVICE + "\""), challenge);
    Resp wrong = h.get("/token?service=" + SERVICE + "&scope=repository:a:pull", "Authorization", basic("alice", "nope"));
    assertEquals(401, wrong.status(), wrong::toString);
    assertUnauthorized(h.get("/v2/a/tags/list", "Authorization", basic("alice", "alice-pw")));

    String ab = token(h, "alice", "alice-pw", "repository:team/a:pull,push");
    assertEquals(Set.of("pull", "push"), actions(claims(ab), "team/a"));
    RegistryHttp a = h.with("Authorization", "Bearer " + ab);
    assertEquals(200, a.get("/v2/").status());
    Image img = a.pushImage("team/a", "v1", "layer");
    assertArrayEquals(img.manifest(), a.get("/v2/team/a/manifests/v1").body());

    // scope confusion: a token for team/a says nothing about any other repository
    for (String other : List.of("team/b", "team/a/sub", "team/ab", "team")) {
      Resp push = a.post("/v2/" + other + "/blobs/uploads/", new byte[0]);
      assertUnauthorized(push);
      String c = push.header("WWW-Authenticate");
      assertTrue(c.contains("scope=\"repository:" + other + ":push\"") && c.contains("error=\"insufficient_scope\""), c);
      assertUnauthorized(a.get("/v2/" + other + "/manifests/v1"));
      assertUnauthorized(a.put("/v2/" + other + "/manifests/v1", img.manifest(), "Content-Type", OCI_MANIFEST));
    }
    // push is not delete (zot GHSA-qg67-7m6v-qg25)
    assertUnauthorized(a.delete("/v2/team/a/manifests/" + img.digest()));
    assertUnauthorized(a.delete("/v2/team/a/manifests/v1"));
    assertUnauthorized(a.delete("/v2/team/a/blobs/" + img.layers().getFirst()));
    assertEquals(200, a.get("/v2/team/a/manifests/v1").status());
    // pull is not push
    RegistryHttp pullOnly = h.with("Authorization", "Bearer " + token(h, "alice", "alice-pw", "repository:team/a:pull"));
    assertEquals(200, pullOnly.get("/v2/team/a/manifests/v1").status());
    assertUnauthorized(pullOnly.post("/v2/team/a/blobs/uploads/", new byte[0]));
    assertUnauthorized(pullOnly.put("/v2/team/a/manifests/v2", img.manifest(), "Content-Type", OCI_MANIFEST));
    // the catalog needs its own scope
    assertUnauthorized(a.get("/v2/_catalog"));
    RegistryHttp cat = h.with("Authorization", "Bearer " + token(h, "alice", "alice-pw", "registry:catalog:*"));
    assertEquals(200, cat.get("/v2/_catalog").status());
    assertUnauthorized(cat.get("/v2/team/a/manifests/v1"));
    // an anonymous token (no anonymous read here) grants nothing
    String anon = token(h, null, null, "repository:team/a:pull,push");
    assertEquals(0, claims(anon).path("access").size(), claims(anon)::toString);
    assertUnauthorized(h.get("/v2/team/a/manifests/v1", "Authorization", "Bearer " + anon));
    // a scope with the name in another spelling grants nothing
    String odd = token(h, "alice", "alice-pw", "repository:team/../a:pull", "repository:Team/A:pull", "repository:team/a/:pull");
    assertEquals(0, claims(odd).path("access").size(), claims(odd)::toString);
    // delete when asked for
    RegistryHttp del = h.with("Authorization", "Bearer " + token(h, "alice", "alice-pw", "repository:team/a:delete"));
    assertEquals(202, del.delete("/v2/team/a/manifests/v1").status());
  }

  private static Set<String> actions(JsonNode claims, String repo) {
    Set<String> out = new TreeSet<>();
    for (JsonNode g : claims.path("access")) {
      if (g.path("type").asText().equals("repository") && g.path("name").asText().equals(repo)) {
        g.path("actions").forEach(a -> out.add(a.asText()));
      }
    }
    return out;
  }

  @Test
  void forgedAndAlteredTokensAreRefused() throws Exception {
    RegistryFixture f = tokenRegistry(Storage.FILESYSTEM, false);
    RegistryHttp h = new RegistryHttp(f.port());
    String good = token(h, "alice", "alice-pw", "repository:x/y:pull,push");
    RegistryHttp ok = h.with("Authorization", "Bearer " + good);
    ok.pushImage("x/y", "v1", "l");
    String[] parts = good.split("\\.");
    long exp = Instant.now().plusSeconds(300).getEpochSecond();
    Map<String, Object> hs = Map.of("alg", "HS256", "typ", "JWT");
    byte[] attacker = "attacker-key-attacker-key-attack".getBytes(StandardCharsets.US_ASCII);
    Map<String, Object> wide = claimsFor("x/y", List.of("pull", "push", "delete"), exp, SERVICE);
    List<String> forged = List.of(
        jwt(attacker, hs, wide),                                                     // another key
        parts[0] + "." + b64(RegistryHttp.json(wide)) + "." + parts[2],                // widened claims, old signature
        b64(RegistryHttp.json(Map.of("alg", "none", "typ", "JWT"))) + "." + b64(RegistryHttp.json(wide)) + ".",
        b64(RegistryHttp.json(Map.of("alg", "none", "typ", "JWT"))) + "." + b64(RegistryHttp.json(wide)),
        // an embedded key and a key id (distribution CVE-2025-24976)
        jwt(attacker, Map.of("alg", "HS256", "typ", "JWT", "kid", "registry",
            "jwk", Map.of("kty", "oct", "k", b64(attacker))), wide),
        jwt(KEY, hs, claimsFor("x/y", List.of("pull", "push"), exp, "another-service")), // audience of another service
        jwt(KEY, hs, claimsFor("x/y", List.of("pull", "push"), Instant.now().minusSeconds(60).getEpochSecond(), SERVICE)), // expired
        good + "x", "a.b.c", good.replace('.', ','));
    for (String t : forged) {
      RegistryHttp bad = h.with("Authorization", "Bearer " + t);
      assertUnauthorized(bad.get("/v2/x/y/manifests/v1"));
      assertUnauthorized(bad.post("/v2/x/y/blobs/uploads/", new byte[0]));
      assertUnauthorized(bad.delete("/v2/x/y/manifests/v1"));
    }
    assertEquals(200, ok.get("/v2/x/y/manifests/v1").status());
    // a well-signed token with the right claims is accepted: the forgeries failed on what they changed
    assertEquals(200, h.get("/v2/x/y/manifests/v1", "Authorization",
        "Bearer " + jwt(KEY, hs, claimsFor("x/y", List.of("pull"), exp, SERVICE))).status());
  }

  /** An expired token proves nobody, at /v2/ too (clients ping /v2/ to learn whether their token still works). */
  @Test
  void expiredTokenIsRefusedAtBase() throws Exception {
    RegistryFixture f = tokenRegistry(Storage.FILESYSTEM, false);
    RegistryHttp h = new RegistryHttp(f.port());
    String expired = jwt(KEY, Map.of("alg", "HS256", "typ", "JWT"),
        claimsFor("x/y", List.of("pull"), Instant.now().minusSeconds(3600).getEpochSecond(), SERVICE));
    Resp r = h.get("/v2/", "Authorization", "Bearer " + expired);
    assertEquals(401, r.status(), r::toString);
  }

  @Test
  void anonymousReadWithTokens() throws Exception {
    RegistryFixture f = tokenRegistry(Storage.FILESYSTEM, true);
    RegistryHttp h = new RegistryHttp(f.port());
    RegistryHttp alice = h.with("Authorization", "Bearer " + token(h, "alice", "alice-pw", "repository:pub/x:pull,push"));
    Image img = alice.pushImage("pub/x", "v1", "l");
    String anon = token(h, null, null, "repository:pub/x:pull,push,delete");
    assertEquals(Set.of("pull"), actions(claims(anon), "pub/x"));
    RegistryHttp a = h.with("Authorization", "Bearer " + anon);
    assertArrayEquals(img.manifest(), a.get("/v2/pub/x/manifests/v1").body());
    assertEquals(200, h.get("/v2/pub/x/manifests/v1").status(), "no token at all");
    assertUnauthorized(a.post("/v2/pub/x/blobs/uploads/", new byte[0]));
    assertUnauthorized(h.post("/v2/pub/x/blobs/uploads/", new byte[0]));
    assertUnauthorized(a.put("/v2/pub/x/manifests/v2", img.manifest(), "Content-Type", OCI_MANIFEST));
    assertUnauthorized(a.delete("/v2/pub/x/manifests/v1"));
  }

  // ---- cross-repository mount and repository-local blobs

  /** S38: a mount from a repository the token may not pull is a plain session, the same as from one that lacks the blob. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void mountNeedsPullOnTheSource(Storage s) throws Exception {
    RegistryFixture f = tokenRegistry(s, false);
    RegistryHttp h = new RegistryHttp(f.port());
    RegistryHttp owner = h.with("Authorization", "Bearer " + token(h, "bob", "bob-pw", "repository:private/src:pull,push"));
    Digest d = owner.pushBlob("private/src", bytes("private content " + s));
    owner.pushBlob("private/src", bytes("other"));

    RegistryHttp pushOnly = h.with("Authorization", "Bearer " + token(h, "alice", "alice-pw", "repository:mine/dst:pull,push"));
    Resp denied = pushOnly.post("/v2/mine/dst/blobs/uploads/?mount=" + d + "&from=private/src", new byte[0]);
    assertEquals(202, denied.status(), denied::toString);
    assertTrue(denied.header("Location").startsWith("/v2/mine/dst/blobs/uploads/"), denied::toString);
    assertNull(denied.header("Docker-Content-Digest"));
    assertEquals(404, pushOnly.head("/v2/mine/dst/blobs/" + d).status());

    RegistryHttp both = h.with("Authorization", "Bearer " + token(h, "alice", "alice-pw",
        "repository:mine/dst:pull,push", "repository:private/src:pull"));
    Digest absent = Digest.sha256(bytes("not in src"));
    Resp lacking = both.post("/v2/mine/dst/blobs/uploads/?mount=" + absent + "&from=private/src", new byte[0]);
    assertEquals(202, lacking.status());
    assertEquals(new TreeSet<>(denied.headers().map().keySet()).stream().filter(k -> !k.equals("date")).toList(),
        new TreeSet<>(lacking.headers().map().keySet()).stream().filter(k -> !k.equals("date")).toList(),
        "a refused mount looks like a mount of a missing blob");
    Resp mounted = both.post("/v2/mine/dst/blobs/uploads/?mount=" + d + "&from=private/src", new byte[0]);
    assertEquals(201, mounted.status(), mounted::toString);
    assertEquals(200, pushOnly.get("/v2/mine/dst/blobs/" + d).status());
  }

  /** S37 (zot CVE-2024-39897): under an ACL a blob is readable only through a repository that has it. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void blobsAreRepositoryLocalUnderAnAcl(Storage s) throws Exception {
    RegistryFixture f = start(s, c -> withAcl(c.withAuth(htpasswd, null, false), List.of(
        new Access.Acl.Entry("alice", "alice/*", Set.of("pull", "push", "delete")),
        new Access.Acl.Entry("bob", "bob/*", Set.of("pull", "push", "delete")))));
    RegistryHttp h = new RegistryHttp(f.port());
    RegistryHttp alice = h.with("Authorization", basic("alice", "alice-pw"));
    RegistryHttp bob = h.with("Authorization", basic("bob", "bob-pw"));
    byte[] secret = bytes("bob's secret layer " + s);
    Digest d = bob.pushBlob("bob/secret", secret);
    alice.pushBlob("alice/app", bytes("alice's own"));

    Resp get = alice.get("/v2/alice/app/blobs/" + d);
    assertEquals(404, get.status(), get::toString);
    assertEquals("BLOB_UNKNOWN", get.code());
    assertEquals(404, alice.head("/v2/alice/app/blobs/" + d).status());
    assertEquals(404, alice.get("/v2/alice/app/blobs/" + d, "Range", "bytes=0-3").status());
    Resp direct = alice.get("/v2/bob/secret/blobs/" + d);
    assertEquals(403, direct.status(), direct::toString);
    assertEquals("DENIED", direct.code());

    Resp mount = alice.post("/v2/alice/app/blobs/uploads/?mount=" + d + "&from=bob/secret", new byte[0]);
    assertEquals(202, mount.status(), mount::toString);
    assertEquals(404, alice.head("/v2/alice/app/blobs/" + d).status());

    byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    Digest c = alice.pushBlob("alice/app", config);
    byte[] m = RegistryHttp.manifest(OCI_MANIFEST, OCI_CONFIG, c, config.length, List.of(Map.entry(d, secret.length)), null, null);
    Resp put = alice.put("/v2/alice/app/manifests/v1", m, "Content-Type", OCI_MANIFEST);
    assertEquals(400, put.status(), put::toString);
    assertEquals("MANIFEST_BLOB_UNKNOWN", put.code());
    assertUnauthorized(h.get("/v2/bob/secret/blobs/" + d));

    // with pull on the source, the mount is made
    assertEquals(201, bob.post("/v2/bob/copy/blobs/uploads/?mount=" + d + "&from=bob/secret", new byte[0]).status());
  }
}
