package io.strata.cli.interop;

import static io.strata.cli.interop.RegistryFixtures.assertFsckClean;
import static io.strata.cli.interop.RegistryFixtures.assertOneLineError;
import static io.strata.cli.interop.RegistryFixtures.cli;
import static io.strata.cli.interop.RegistryFixtures.pushedDigest;
import static io.strata.cli.interop.RegistryFixtures.repoDigests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.cli.interop.RegistryServer.Auth;
import io.strata.oci.Json;
import io.strata.testkit.HostRequirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * login, logout and authenticated push and pull against distribution with htpasswd basic
 * authentication and with token authentication (a token endpoint this test runs, RS256 JWTs):
 * unauthorized until login, a wrong password stores nothing, credentials go to
 * {@code $DOCKER_CONFIG/config.json} (0600) and away again at logout.
 */
class RegistryAuthTest {
  @TempDir static Path shared;
  private static final Map<Auth, RegistryServer> registries = new EnumMap<>(Auth.class);

  @TempDir Path tmp;

  @BeforeAll
  static void requirements() {
    HostRequirements.root();
  }

  @AfterAll
  static void stop() throws Exception {
    for (RegistryServer r : registries.values()) r.close();
  }

  private static synchronized RegistryServer registry(Auth auth) throws IOException, InterruptedException {
    RegistryServer r = registries.get(auth);
    if (r == null) registries.put(auth, r = RegistryServer.start(shared.resolve("registry-" + auth), auth));
    return r;
  }

  @ParameterizedTest
  @EnumSource(value = Auth.class, names = {"BASIC", "TOKEN"})
  void unauthorizedUntilLoginThenPushAndPullUntilLogout(Auth auth) throws Exception {
    RegistryServer registry = registry(auth);
    Path config = tmp.resolve("docker-config");
    StrataCli strata = cli(tmp.resolve("store"), config);
    String repo = registry.host() + "/it/private";
    strata.ok("import", "-c", "CMD [\"cat\", \"/etc/marker\"]", RegistryFixtures.busyboxRootfs(tmp, "auth-" + auth).toString(),
        repo + ":1");

    assertOneLineError(strata.exec("push", repo + ":1"), "unauthorized");
    assertOneLineError(strata.exec("pull", repo + ":1"), "unauthorized");
    assertFalse(Files.exists(config.resolve("config.json")), "nothing stored");

    StrataCli.Result login = strata.execWithInput(RegistryServer.PASSWORD + "\n", "login", "-u", RegistryServer.USER,
        "--password-stdin", registry.host());
    assertEquals(0, login.code(), login.err());
    assertEquals("Login Succeeded", login.out().strip());
    Path file = config.resolve("config.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    JsonNode auths = Json.readTree(Files.readAllBytes(file), "config.json").path("auths");
    assertEquals(RegistryServer.USER + ":" + RegistryServer.PASSWORD, new String(Base64.getDecoder()
        .decode(auths.path(registry.host()).path("auth").asText()), StandardCharsets.UTF_8));

    String digest = pushedDigest(strata.ok("push", repo + ":1"));
    StrataCli other = cli(tmp.resolve("other"), config); // another store, the same credentials
    other.ok("pull", repo + ":1");
    assertEquals(List.of(repo + "@" + digest), repoDigests(other.inspect(repo + ":1")));
    assertEquals("auth-" + auth + "\n", other.ok("run", "--rm", repo + ":1"));
    // another repository of the same registry: every blob is mounted (the token covers both repositories)
    strata.ok("tag", repo + ":1", registry.host() + "/it/private2:1");
    String mounted = strata.ok("push", registry.host() + "/it/private2:1");
    assertEquals(1, RegistryFixtures.countLines(mounted, ": Mounted from it/private"), mounted);
    assertEquals(digest, pushedDigest(mounted));
    if (auth == Auth.TOKEN) {
      List<RegistryTokenServer.Issued> issued = registry.tokens().issued();
      assertTrue(issued.stream().anyMatch(i -> RegistryServer.USER.equals(i.user()) && i.granted()
          && i.scopes().contains("repository:it/private:pull,push")), issued.toString());
    }

    assertEquals("Removing login credentials for " + registry.host(), strata.ok("logout", registry.host()).strip());
    assertTrue(Json.readTree(Files.readAllBytes(file), "config.json").path("auths").path(registry.host()).isMissingNode());
    assertOneLineError(cli(tmp.resolve("third"), config).exec("pull", repo + ":1"), "unauthorized");
    assertEquals("Not logged in to " + registry.host(), strata.ok("logout", registry.host()).strip());
    assertFsckClean(other);
  }

  @ParameterizedTest
  @EnumSource(value = Auth.class, names = {"BASIC", "TOKEN"})
  void aWrongPasswordFailsLoginWithOneLineAndStoresNothing(Auth auth) throws Exception {
    RegistryServer registry = registry(auth);
    Path config = tmp.resolve("docker-config");
    StrataCli strata = cli(tmp.resolve("store"), config);
    StrataCli.Result r = strata.execWithInput("not-the-password\n", "login", "-u", RegistryServer.USER, "--password-stdin",
        registry.host());
    String err = assertOneLineError(r, "unauthorized", registry.host());
    assertFalse(r.out().contains("Login Succeeded"), r.out());
    assertFalse(err.contains("not-the-password"), "the password is not echoed: " + err);
    assertFalse(Files.exists(config.resolve("config.json")), "nothing stored");
    if (auth == Auth.TOKEN) {
      assertTrue(err.contains("incorrect username or password"), err);
      assertTrue(registry.tokens().issued().stream().anyMatch(i -> !i.granted()), "the token endpoint refused it");
    }
  }
}
