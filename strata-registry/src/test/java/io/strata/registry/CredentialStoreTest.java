package io.strata.registry;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.UnavailableException;
import io.strata.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's config.json as {@link CredentialStore} reads and writes it: base64 {@code auth}, an
 * {@code identitytoken}, other keys kept, mode 0600; and credential helpers, run in a child JVM whose
 * PATH holds fake {@code docker-credential-*} scripts (CredentialStore finds helpers on the JVM's own
 * PATH, which a running JVM cannot change).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CredentialStoreTest {
  @TempDir Path tmp;

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  Path config(String json) throws Exception {
    Path f = tmp.resolve("docker/config.json");
    Files.createDirectories(f.getParent());
    Files.writeString(f, json);
    return f;
  }

  static String mode(Path f) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
  }

  static JsonNode read(Path f) throws Exception {
    return Json.readTree(Files.readAllBytes(f), "config");
  }

  @Test
  void base64AuthIsFoundUnderAHostOrAUrlKey() throws Exception {
    CredentialStore s = new CredentialStore(config("{\"auths\":{"
        + "\"reg.example:5000\":{\"auth\":\"" + b64("alice:pa:ss") + "\"},"
        + "\"https://other.example/v1/\":{\"auth\":\"" + b64("bob:pw") + "\"},"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:hubpw") + "\"}}}"));
    assertEquals(Optional.of(new Credentials("alice", "pa:ss", null)), s.get("reg.example:5000"));
    assertEquals(Optional.of(new Credentials("bob", "pw", null)), s.get("other.example"));
    assertEquals(Optional.of(new Credentials("hub", "hubpw", null)), s.get("docker.io"));
    assertEquals(Optional.empty(), s.get("reg.example:5001"));
  }

  @Test
  void identityTokenAloneOrBesideAuth() throws Exception {
    CredentialStore s = new CredentialStore(config("{\"auths\":{"
        + "\"a.example\":{\"identitytoken\":\"refresh-a\"},"
        + "\"b.example\":{\"auth\":\"" + b64("bob:") + "\",\"identitytoken\":\"refresh-b\"}}}"));
    assertEquals(Optional.of(new Credentials("<token>", null, "refresh-a")), s.get("a.example"));
    Credentials b = s.get("b.example").orElseThrow();
    assertEquals("bob", b.username());
    assertEquals("refresh-b", b.identityToken());
  }

  @Test
  void malformedAuthIsOneLineWithoutTheSecret() throws Exception {
    CredentialStore s = new CredentialStore(config("{\"auths\":{"
        + "\"a.example\":{\"auth\":\"not base64 at all: hunter2!\"},"
        + "\"b.example\":{\"auth\":\"" + b64("hunter2") + "\"}}}"));
    InvalidArgumentException a = HostileRegistryBase.assertOneLine(InvalidArgumentException.class, () -> s.get("a.example"), "a.example");
    InvalidArgumentException b = HostileRegistryBase.assertOneLine(InvalidArgumentException.class, () -> s.get("b.example"), "b.example");
    assertFalse(a.getMessage().contains("hunter2") || b.getMessage().contains("hunter2"));
  }

  @Test
  void notAnObjectIsOneLine() throws Exception {
    CredentialStore s = new CredentialStore(config("[\"auths\"]"));
    HostileRegistryBase.assertOneLine(InvalidArgumentException.class, () -> s.get("a.example"), "config.json");
    CredentialStore broken = new CredentialStore(config("{\"auths\": {\n"));
    HostileRegistryBase.assertOneLine(InvalidArgumentException.class, () -> broken.get("a.example"), "config.json");
  }

  @Test
  void storeKeepsEveryOtherKeyAndWritesMode0600() throws Exception {
    Path f = config("{\"psFormat\":\"table {{.ID}}\",\"HttpHeaders\":{\"X-Meta\":\"1\"},"
        + "\"auths\":{\"other.example\":{\"auth\":\"" + b64("o:p") + "\",\"email\":\"o@example\"}},\"plugins\":{\"x\":{\"y\":\"z\"}}}");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    CredentialStore s = new CredentialStore(f);
    s.store("reg.example:5000", new Credentials("alice", "secret", null));
    assertEquals("rw-------", mode(f));
    JsonNode n = read(f);
    assertEquals("table {{.ID}}", n.path("psFormat").asText());
    assertEquals("1", n.path("HttpHeaders").path("X-Meta").asText());
    assertEquals("z", n.path("plugins").path("x").path("y").asText());
    assertEquals("o@example", n.path("auths").path("other.example").path("email").asText());
    assertEquals(b64("alice:secret"), n.path("auths").path("reg.example:5000").path("auth").asText());
    assertEquals(Optional.of(new Credentials("alice", "secret", null)), s.get("reg.example:5000"));
    assertEquals(Optional.of(new Credentials("o", "p", null)), s.get("other.example"));
    try (Stream<Path> files = Files.list(f.getParent())) {
      assertEquals(List.of("config.json"), files.map(p -> p.getFileName().toString()).toList(), "temp files left");
    }
  }

  @Test
  void identityTokenRoundTripsThroughTheFile() throws Exception {
    CredentialStore s = new CredentialStore(tmp.resolve("fresh/config.json"));
    s.store("docker.io", new Credentials("alice", null, "refresh-tok"));
    Path f = tmp.resolve("fresh/config.json");
    assertEquals("rw-------", mode(f));
    assertTrue(read(f).path("auths").has(CredentialStore.DOCKER_HUB_KEY));
    Credentials c = s.get("docker.io").orElseThrow();
    assertEquals("refresh-tok", c.identityToken());
  }

  @Test
  void eraseKeepsEveryOtherKeyAndWritesMode0600() throws Exception {
    Path f = config("{\"credsStore\":\"\",\"currentContext\":\"default\",\"auths\":{"
        + "\"a.example\":{\"auth\":\"" + b64("a:1") + "\"},\"b.example\":{\"auth\":\"" + b64("b:2") + "\"}}}");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
    CredentialStore s = new CredentialStore(f);
    assertTrue(s.erase("a.example"));
    assertEquals("rw-------", mode(f));
    JsonNode n = read(f);
    assertEquals("default", n.path("currentContext").asText());
    assertFalse(n.path("auths").has("a.example"));
    assertEquals(Optional.of(new Credentials("b", "2", null)), s.get("b.example"));
    assertFalse(s.erase("a.example"));
    assertFalse(new CredentialStore(tmp.resolve("none/config.json")).erase("a.example"));
    assertFalse(Files.exists(tmp.resolve("none/config.json")), "erase of nothing wrote a file");
  }

  @Test
  void credentialsNeverPrintTheirSecret() {
    String shown = new Credentials("alice", "hunter2", "refresh-xyz").toString();
    assertFalse(shown.contains("hunter2") || shown.contains("refresh-xyz"), shown);
  }

  @Test
  void helperNameThatIsAPathIsRefusedWithoutRunningAnything() throws Exception {
    Path marker = tmp.resolve("ran");
    CredentialStore s = new CredentialStore(config("{\"credHelpers\":{\"a.example\":\"../../../bin/sh\"},"
        + "\"credsStore\":\"x; touch " + marker + "\"}"));
    HostileRegistryBase.assertOneLine(InvalidArgumentException.class, () -> s.get("a.example"), "../../../bin/sh");
    HostileRegistryBase.assertOneLine(InvalidArgumentException.class, () -> s.get("b.example"), "credential helper");
    assertFalse(Files.exists(marker));
  }

  @Test
  void missingHelperIsOneLine() throws Exception {
    CredentialStore s = new CredentialStore(config("{\"credsStore\":\"strata-test-no-such-helper\"}"));
    HostileRegistryBase.assertOneLine(UnavailableException.class, () -> s.get("a.example"), "docker-credential-strata-test-no-such-helper");
  }

  // ---- helpers, through a child JVM ----

  static final String FAKE = """
      #!/bin/sh
      action="$1"
      input=$(cat)
      printf '%s %s\\n' "$action" "$input" >> "$HELPER_LOG"
      case "$action" in
        get)
          case "$input" in
            reg.example:5000) printf '{"ServerURL":"reg.example:5000","Username":"helper-user","Secret":"helper-secret"}\\n' ;;
            tok.example) printf '{"ServerURL":"tok.example","Username":"<token>","Secret":"refresh-tok"}\\n' ;;
            broken.example) echo "error talking to the keychain: locked"; exit 1 ;;
            *) echo "credentials not found in native keychain"; exit 1 ;;
          esac ;;
        store|erase) exit 0 ;;
        *) echo "unknown action $action"; exit 1 ;;
      esac
      """;

  static final String OTHER = """
      #!/bin/sh
      input=$(cat)
      printf 'other %s %s\\n' "$1" "$input" >> "$HELPER_LOG"
      printf '{"Username":"other-user","Secret":"other-secret"}\\n'
      """;

  record Run(List<String> lines, List<String> log) {
    String line(String prefix) {
      return lines.stream().filter(l -> l.startsWith(prefix + " -> ")).findFirst().map(l -> l.substring(prefix.length() + 4))
          .orElse("(no output for " + prefix + ": " + lines + ")");
    }
  }

  Run probe(Path config, String... ops) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String[] h : new String[][] {{"fake", FAKE}, {"other", OTHER}}) {
      Path p = bin.resolve("docker-credential-" + h[0]);
      Files.writeString(p, h[1]);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }
    Path log = tmp.resolve("helper.log");
    Files.writeString(log, "");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        CredentialHelperProbe.class.getName(), config.toString()));
    cmd.addAll(List.of(ops));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("HELPER_LOG", log.toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readNBytes(1 << 20);
    assertTrue(p.waitFor(50, TimeUnit.SECONDS), "probe JVM hung");
    assertEquals(0, p.exitValue(), new String(out, StandardCharsets.UTF_8));
    return new Run(new String(out, StandardCharsets.UTF_8).lines().toList(), Files.readAllLines(log));
  }

  @Test
  void credentialHelpersAreAskedWithTheirProtocol() throws Exception {
    String original = "{\"credsStore\":\"fake\",\"credHelpers\":{\"per.example\":\"other\"},"
        + "\"auths\":{\"per.example\":{\"auth\":\"" + b64("file-user:file-pw") + "\"}},\"psFormat\":\"x\"}";
    Path f = config(original);
    Run r = probe(f,
        "get", "reg.example:5000",
        "get", "tok.example",
        "get", "missing.example",
        "get", "broken.example",
        "get", "per.example",
        "get", "docker.io",
        "store", "reg.example:5000", "bob", "pw", "-",
        "store", "tok.example", "bob", "-", "idtok",
        "erase", "reg.example:5000");
    assertAll(
        () -> assertEquals("helper-user|helper-secret|null", r.line("get reg.example:5000")),
        () -> assertEquals("<token>|null|refresh-tok", r.line("get tok.example"), "Username <token> means an identity token"),
        () -> assertEquals("empty", r.line("get missing.example")),
        () -> assertTrue(r.line("get broken.example").startsWith("error UnavailableException: ")
            && r.line("get broken.example").contains("docker-credential-fake") && r.line("get broken.example").contains("locked"),
            r.line("get broken.example")),
        () -> assertEquals("other-user|other-secret|null", r.line("get per.example"), "credHelpers beats credsStore and auths"),
        () -> assertEquals("empty", r.line("get docker.io")),
        () -> assertTrue(r.log().contains("get " + CredentialStore.DOCKER_HUB_KEY), "Docker Hub's key: " + r.log()),
        () -> assertEquals("ok", r.line("store reg.example:5000")),
        () -> assertTrue(r.log().contains("store {\"ServerURL\":\"reg.example:5000\",\"Username\":\"bob\",\"Secret\":\"pw\"}"), "log: " + r.log()),
        () -> assertEquals("true", r.line("erase reg.example:5000")),
        () -> assertTrue(r.log().contains("erase reg.example:5000"), "log: " + r.log()),
        () -> assertArrayEquals(original.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f), "a helper store wrote config.json"),
        // Docker's native store keeps an identity token as Username "<token>", the only way "get" can tell it from a password
        () -> assertTrue(r.log().contains("store {\"ServerURL\":\"tok.example\",\"Username\":\"<token>\",\"Secret\":\"idtok\"}"),
            "identity token stored through a helper as a password: " + r.log()));
  }

  @Test
  void helperThatFailsToStoreIsOneLine() throws Exception {
    Path f = config("{\"credsStore\":\"other-missing\"}");
    Run r = probe(f, "store", "reg.example:5000", "bob", "pw", "-");
    String line = r.line("store reg.example:5000");
    assertTrue(line.startsWith("error UnavailableException: ") && line.contains("docker-credential-other-missing"), line);
    assertNull(read(f).get("auths"), "fell back to writing the secret into the file");
  }
}
