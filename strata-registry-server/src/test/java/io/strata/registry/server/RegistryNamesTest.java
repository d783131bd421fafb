package io.strata.registry.server;

import static io.strata.registry.server.RegistryHttp.OCI_MANIFEST;
import static io.strata.registry.server.RegistryHttp.bytes;
import static io.strata.registry.server.RegistryHttp.repo;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.oci.Digest;
import io.strata.registry.server.RegistryFixture.Storage;
import io.strata.registry.server.RegistryHttp.Image;
import io.strata.registry.server.RegistryHttp.Resp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Repository names and tags that must never become a path or key outside the storage (SECURITY.md S40):
 * every hostile name is sent raw, on every kind of endpoint, and refused; nothing lands outside the
 * root or prefix and no repository appears that the grammar does not allow.
 */
class RegistryNamesTest extends TwoStorageTestBase {
  private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
  private static final Pattern NAME = Pattern.compile(
      "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

  /** Names the grammar refuses, as they appear in a request path (some percent-encoded). */
  static final List<String> BAD_NAMES = List.of(
      "Upper", "a/Upper", "a//b", "a/", "_uploads", "a/_layers", "a/_manifests/x", "-a", "a-", "a.", ".a", "a/..",
      "..", "a/../../../etc", "a..b", "a___b", "a/-/b",
      "a%2Fb", "a%2fb", "%2e%2e", "a/%2e%2e/b", "a/%2E%2E/%2E%2E/%2E%2E/x", "%2e%2e%2f%2e%2e%2fx", "a%00b", "a%5cb", "a\\b",
      "a%20b", "a%3Bb", "b".repeat(256), ("c".repeat(50) + "/").repeat(5) + "c".repeat(10));

  /** Spellings that are not the name of the repository Jetty's URI normalisation turns them into. */
  static final List<String> ALIASES = List.of("alias/.", "alias/./x", "alias;b", "alias;x=y/x", "zz/../alias", "alias/x/..");

  private static int status(String raw) {
    Matcher m = STATUS.matcher(raw);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static String code(String raw) {
    Matcher m = Pattern.compile("\"code\":\"([A-Z_]+)\"").matcher(raw);
    return m.find() ? m.group(1) : null;
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void hostileRepositoryNamesAreRefusedEverywhere(Storage s) throws Exception {
    RegistryFixture f = registry(s);
    RegistryHttp h = http(s);
    String victim = repo("victim");
    Image img = h.pushImage(victim, "v1", "secret layer");
    Digest layer = img.layers().getFirst();
    byte[] blob = bytes("hostile " + s);
    Digest d = Digest.sha256(blob);
    List<String> problems = new ArrayList<>();
    for (String name : BAD_NAMES) {
      List<String[]> requests = List.of(
          new String[] {"GET", "/v2/" + name + "/tags/list", null},
          new String[] {"GET", "/v2/" + name + "/manifests/v1", null},
          new String[] {"GET", "/v2/" + name + "/blobs/" + layer, null},
          new String[] {"HEAD", "/v2/" + name + "/blobs/" + layer, null},
          new String[] {"POST", "/v2/" + name + "/blobs/uploads/", ""},
          new String[] {"POST", "/v2/" + name + "/blobs/uploads/?digest=" + d, "hostile " + s},
          new String[] {"POST", "/v2/" + name + "/blobs/uploads/?mount=" + layer + "&from=" + victim, ""},
          new String[] {"PUT", "/v2/" + name + "/manifests/v1", new String(img.manifest(), java.nio.charset.StandardCharsets.UTF_8)},
          new String[] {"DELETE", "/v2/" + name + "/manifests/" + img.digest(), null},
          new String[] {"GET", "/v2/" + name + "/referrers/" + img.digest(), null});
      for (String[] r : requests) {
        byte[] body = r[2] == null ? null : bytes(r[2]);
        String head = r[0] + " " + r[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close"
            + (body == null ? "" : "\r\nContent-Type: " + (r[1].contains("manifests") ? OCI_MANIFEST : "application/octet-stream")
            + "\r\nContent-Length: " + body.length);
        String answer = RegistryHttp.raw(f.port(), head, body);
        int st = status(answer);
        String c = code(answer);
        // refused: 400 NAME_INVALID from the registry, or 400 from Jetty's URI checks (ambiguous or bad
        // encodings); a path Jetty normalised into another route is at worst "no such endpoint" 404
        boolean ok = st == 400 && (c == null || c.equals("NAME_INVALID")) || st == 404 && "UNSUPPORTED".equals(c)
            || r[0].equals("HEAD") && (st == 400 || st == 404);
        if (!ok) problems.add(r[0] + " " + r[1].substring(0, Math.min(r[1].length(), 120)) + " -> " + st + " " + c);
      }
    }
    assertEquals(List.of(), problems, "requests with hostile names that were not refused");
    assertEquals(List.of(), f.outside(), "files or keys outside the storage");
    for (String k : f.keys("repositories/")) {
      String rest = k.substring("repositories/".length());
      String repoName = rest.substring(0, rest.indexOf("/_"));
      assertTrue(NAME.matcher(repoName).matches(), k);
    }
    assertFalse(f.blobStored(d), "no blob was stored through a hostile name");
    assertEquals(200, h.get("/v2/" + victim + "/manifests/v1").status(), "the victim is intact");
  }

  /**
   * A request names one repository and acts on it, or is refused: a path with dot segments or
   * {@code ;} parameters is not silently rewritten into another repository's name (what a path-based
   * rule of a proxy in front saw is what the registry does).
   */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void nonCanonicalPathsAreNotRewrittenIntoAnotherName(Storage s) throws Exception {
    RegistryFixture f = registry(s);
    RegistryHttp h = http(s);
    h.pushImage("alias", "v1", "l");
    h.pushImage("alias/x", "v1", "l");
    List<String> problems = new ArrayList<>();
    for (String name : ALIASES) {
      String answer = RegistryHttp.raw(f.port(), "GET /v2/" + name + "/manifests/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close", null);
      if (status(answer) != 400) problems.add(name + " -> " + status(answer) + " " + code(answer));
    }
    assertEquals(List.of(), problems, "non-canonical names served as another repository");
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void longestValidNameWorksAndOneMoreIsRefused(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String prefix = s.name().toLowerCase(java.util.Locale.ROOT);
    String name255 = prefix + "/" + "n".repeat(255 - prefix.length() - 1);
    assertEquals(255, name255.length());
    h.pushImage(name255, "v1", "l");
    assertEquals(200, h.get("/v2/" + name255 + "/tags/list").status());
    Resp over = h.get("/v2/" + name255 + "x/tags/list");
    assertEquals(400, over.status());
    assertEquals("NAME_INVALID", over.code());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void hostileTagsAreRefused(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("tags");
    Image img = h.pushImage(repo, "v1", "l");
    for (String tag : List.of(".hidden", "-x", "a%2F..%2F..%2Fx", "%2e%2e", "a:b", "t".repeat(129), "a%00", "%20")) {
      String answer = RegistryHttp.raw(registry(s).port(), "PUT /v2/" + repo + "/manifests/" + tag + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\nContent-Type: " + OCI_MANIFEST + "\r\nContent-Length: " + img.manifest().length, img.manifest());
      assertEquals(400, status(answer), () -> tag + " -> " + answer);
    }
    assertEquals(List.of("v1"), tagsOf(h, repo));
    assertEquals(List.of(), registry(s).outside());
  }

  /**
   * Tags are a repository's own namespace: a tag spelled like one of the storage's directories
   * ({@code _layers}, {@code _manifests}) is just a tag, not a repository of the catalog, and gc copes.
   */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void tagsNamedLikeStorageDirectoriesStayTags(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = "dirtags-" + s.name().toLowerCase(java.util.Locale.ROOT);
    Image img = h.pushImage(repo, "_layers", "l");
    h.pushManifest(repo, "_manifests", OCI_MANIFEST, img.manifest());
    assertEquals(List.of("_layers", "_manifests"), tagsOf(h, repo));
    List<String> catalog = new ArrayList<>();
    h.get("/v2/_catalog").json().path("repositories").forEach(n -> catalog.add(n.asText()));
    org.junit.jupiter.api.Assertions.assertAll(
        () -> assertEquals(List.of(), catalog.stream().filter(n -> n.startsWith(repo + "/")).toList(), "no repository made of a tag"),
        () -> assertTrue(catalog.contains(repo)),
        () -> assertDoesNotThrow(() -> registry(s).gc(true, false, Duration.ofHours(1)), "gc over a repository with such tags"));
  }

  private static List<String> tagsOf(RegistryHttp h, String repo) throws Exception {
    List<String> out = new ArrayList<>();
    h.get("/v2/" + repo + "/tags/list").json().path("tags").forEach(n -> out.add(n.asText()));
    return out;
  }
}
