package io.strata.registry.server;

import static io.strata.registry.server.ClientTestTools.containersEnv;
import static io.strata.registry.server.ClientTestTools.dockerPushedDigest;
import static io.strata.registry.server.ClientTestTools.exec;
import static io.strata.registry.server.ClientTestTools.podman;
import static io.strata.registry.server.ClientTestTools.require;
import static io.strata.registry.server.ClientTestTools.requireRoot;
import static io.strata.registry.server.ClientTestTools.rootfs;
import static io.strata.registry.server.ClientTestTools.run;
import static io.strata.registry.server.ClientTestTools.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.errdefs.StrataException;
import io.strata.oci.Platform;
import io.strata.registry.CredentialStore;
import io.strata.registry.RegistryOptions;
import io.strata.registry.server.RegistryFixture.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The registry with authentication and the real clients: htpasswd (bcrypt, made by {@code htpasswd
 * -B}) basic authentication, and token authentication with {@code --token-realm} pointing at the
 * server's own {@code /token}. Anonymous pushes are refused and store nothing; {@code docker login},
 * {@code podman login} and skopeo's credentials let them through; strata reads the credentials docker
 * login wrote; with anonymous read, pulls need no login and pushes still do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthClientTest {
  enum Mode { BASIC, TOKEN }

  static final String USER = "clienttest";
  static final String PASSWORD = "Cl1ent-Pa55word";

  Path shared; // this class's temporary directory, deleted at the end
  Path tmp; // a fresh directory for each test, under shared
  private final java.util.concurrent.atomic.AtomicInteger tests = new java.util.concurrent.atomic.AtomicInteger();
  private final Map<Mode, RegistryFixture> registries = new EnumMap<>(Mode.class);
  private RegistryFixture anonymousRead;
  private Path htpasswd;
  private String dockerHost;
  private final List<String> dockerImages = new ArrayList<>();

  @BeforeEach
  void freshDirectory() throws IOException {
    tmp = Files.createDirectory(shared.resolve("t" + tests.incrementAndGet())); // short: podman's run root must be < 50 chars
  }

  @BeforeAll
  void start() throws Exception {
    shared = Files.createTempDirectory("ct");
    require("htpasswd");
    htpasswd = Files.writeString(shared.resolve("htpasswd"), run(List.of("htpasswd", "-Bbn", USER, PASSWORD)));
    registries.put(Mode.BASIC, RegistryFixture.start(Storage.FILESYSTEM, c -> c.withAuth(htpasswd, null, false)));
    registries.put(Mode.TOKEN, ClientTestTools.startOnKnownPort(Storage.FILESYSTEM, port -> c -> c.withAuth(htpasswd,
        new RegistryConfig.Token("http://127.0.0.1:" + port + "/token", "strata-registry", null), false)));
    anonymousRead = ClientTestTools.startOnKnownPort(Storage.FILESYSTEM, port -> c -> c.withAuth(htpasswd,
        new RegistryConfig.Token("http://127.0.0.1:" + port + "/token", "strata-registry", null), true));
  }

  @AfterAll
  void stop() throws Exception {
    if (dockerHost != null) for (String i : dockerImages) exec(ClientTestTools.docker(dockerHost, shared.resolve("cleanup"), "rmi", "-f", i));
    for (RegistryFixture r : registries.values()) r.close();
    if (anonymousRead != null) anonymousRead.close();
    S3ProxyFixture.deleteTree(shared);
  }

  private List<String> docker(Path config, String... args) {
    if (dockerHost == null) dockerHost = ClientTestTools.dockerHost();
    return ClientTestTools.docker(dockerHost, config, args);
  }

  private String dockerImport(byte[] tar, String ref) throws IOException {
    Path f = Files.write(tmp.resolve("rootfs-" + sha256(tar).substring(7, 19) + ".tar"), tar);
    dockerImages.add(ref);
    run(docker(tmp.resolve("docker-anon"), "import", "-c", "CMD [\"sh\"]", f.toString(), ref));
    return run(docker(tmp.resolve("docker-anon"), "image", "inspect", "--format", "{{.Id}}", ref)).strip();
  }

  private static String repo(RegistryFixture r, String ref) {
    return ref.substring(r.host().length() + 1, ref.lastIndexOf(':'));
  }

  /** Nothing of {@code repo} in the storage: a refused push left no trace. */
  private static void assertNothingStored(RegistryFixture r, String repo) throws IOException {
    assertEquals(List.of(), r.keys("repositories/" + repo), "a refused push stores nothing in " + repo);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void dockerPushIsRefusedAnonymouslyAndAcceptedAfterLogin(Mode mode) throws IOException {
    RegistryFixture r = registries.get(mode);
    String ref = r.host() + "/clienttest/docker-auth-" + mode.name().toLowerCase() + ":1";
    String id = dockerImport(rootfs("docker-auth-" + mode), ref);

    ClientTestTools.Result anonymous = exec(docker(tmp.resolve("docker-anon"), "push", ref));
    assertNotEquals(0, anonymous.code(), "an anonymous push is refused:\n" + anonymous.all());
    assertTrue(anonymous.all().contains("no basic auth credentials") || anonymous.all().contains("unauthorized")
        || anonymous.all().contains("authentication required") || anonymous.all().contains("denied"), anonymous.all());
    assertNothingStored(r, repo(r, ref));

    Path config = tmp.resolve("docker-user");
    ClientTestTools.Result wrong = exec(docker(config, "login", "-u", USER, "-p", "not-" + PASSWORD, r.host()));
    assertNotEquals(0, wrong.code(), "a wrong password does not log in:\n" + wrong.all());
    assertTrue(!Files.exists(config.resolve("config.json")) || !Files.readString(config.resolve("config.json")).contains(r.host()),
        "nothing stored for a failed login");

    assertTrue(run(docker(config, "login", "-u", USER, "-p", PASSWORD, r.host())).contains("Login Succeeded"));
    String digest = dockerPushedDigest(run(docker(config, "push", ref)));

    // the same layers into another repository of the same registry: mounted, with the user's rights on both
    String other = r.host() + "/clienttest/docker-auth-" + mode.name().toLowerCase() + "-copy:1";
    dockerImages.add(other);
    run(docker(config, "tag", ref, other));
    String out = run(docker(config, "push", other));
    assertTrue(out.contains("Mounted from clienttest/docker-auth-" + mode.name().toLowerCase()), out);
    assertEquals(digest, dockerPushedDigest(out));

    // strata reads the credentials docker login wrote
    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"), RegistryOptions.defaults(),
        new CredentialStore(config.resolve("config.json")))) {
      var pulled = strata.pull(ref);
      assertEquals(digest, pulled.digest().toString());
      assertEquals(id, pulled.imageId().toString());
    }
    try (ClientTestTools.Strata anon = new ClientTestTools.Strata(tmp.resolve("strata-anon"))) {
      StrataException e = assertThrows(StrataException.class, () -> anon.pull(ref), "an anonymous pull is refused");
      assertTrue(e.getMessage().toLowerCase().contains("auth") || e.getMessage().contains("denied"), e.getMessage());
    }

    run(docker(config, "logout", r.host()));
    ClientTestTools.Result afterLogout = exec(docker(config, "push", ref));
    assertNotEquals(0, afterLogout.code(), "logged out: refused again\n" + afterLogout.all());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void podmanAndSkopeoPushOnlyWithCredentials(Mode mode) throws IOException {
    requireRoot();
    require("podman", "skopeo");
    RegistryFixture r = registries.get(mode);
    Path state = tmp.resolve("podman");
    Map<String, String> env = containersEnv(state);
    Path tar = Files.write(tmp.resolve("podman-auth.tar"), rootfs("podman-auth-" + mode));
    String local = "localhost/clienttest/podman-auth:1";
    run(podman(state, "import", "-q", tar.toString(), local), env);
    String ref = r.host() + "/clienttest/podman-auth-" + mode.name().toLowerCase() + ":1";

    ClientTestTools.Result anonymous = exec(podman(state, "push", "--tls-verify=false", local, "docker://" + ref), env,
        ClientTestTools.TOOL_TIMEOUT);
    assertNotEquals(0, anonymous.code(), "podman push without credentials is refused:\n" + anonymous.all());
    assertNothingStored(r, repo(r, ref));

    Path authfile = state.resolve("auth.json");
    ClientTestTools.Result wrong = exec(podman(state, "login", "--tls-verify=false", "--authfile", authfile.toString(), "-u", USER,
        "-p", "wrong", r.host()), env, ClientTestTools.TOOL_TIMEOUT);
    assertNotEquals(0, wrong.code(), wrong.all());
    run(podman(state, "login", "--tls-verify=false", "--authfile", authfile.toString(), "-u", USER, "-p", PASSWORD, r.host()), env);
    Path digestFile = tmp.resolve("podman.digest");
    run(podman(state, "push", "--tls-verify=false", "--authfile", authfile.toString(), "--digestfile", digestFile.toString(), local,
        "docker://" + ref), env);
    String digest = Files.readString(digestFile).strip();

    // skopeo: refused without credentials, served with them
    ClientTestTools.Result noCreds = exec(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "--authfile",
        shared.resolve("no-such-auth.json").toString(), "docker://" + ref), Map.of("REGISTRY_AUTH_FILE", tmp.resolve("none.json").toString()),
        ClientTestTools.TOOL_TIMEOUT);
    assertNotEquals(0, noCreds.code(), noCreds.all());
    String raw = run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", USER + ":" + PASSWORD, "docker://" + ref));
    assertEquals(digest, sha256(raw.getBytes(StandardCharsets.UTF_8)));

    ClientTestTools.OciLayout layout = new ClientTestTools.OciLayout(tmp.resolve("layout"));
    ObjectNode image = layout.image(List.of(ClientTestTools.smallTar("skopeo-auth", mode.name())), "linux", Platform.current().architecture());
    layout.tag("t", image);
    String skopeoRef = r.host() + "/clienttest/skopeo-auth-" + mode.name().toLowerCase() + ":1";
    ClientTestTools.Result refused = exec(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout.dir + ":t",
        "docker://" + skopeoRef), Map.of("REGISTRY_AUTH_FILE", tmp.resolve("none.json").toString()), ClientTestTools.TOOL_TIMEOUT);
    assertNotEquals(0, refused.code(), refused.all());
    assertNothingStored(r, repo(r, skopeoRef));
    run(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "--preserve-digests", "--dest-creds", USER + ":" + PASSWORD,
        "oci:" + layout.dir + ":t", "docker://" + skopeoRef));
    assertEquals(image.path("digest").asText(), sha256(run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds",
        USER + ":" + PASSWORD, "docker://" + skopeoRef)).getBytes(StandardCharsets.UTF_8)));
  }

  /** Token authentication with anonymous read: anyone pulls, only a logged-in user pushes. */
  @Test
  void withAnonymousReadAnyonePullsAndOnlyUsersPush() throws IOException {
    RegistryFixture r = anonymousRead;
    String ref = r.host() + "/clienttest/anonymous-read:1";
    String id = dockerImport(rootfs("anonymous-read"), ref);
    ClientTestTools.Result anonymous = exec(docker(tmp.resolve("docker-anon"), "push", ref));
    assertNotEquals(0, anonymous.code(), anonymous.all());
    assertNothingStored(r, repo(r, ref));
    Path config = tmp.resolve("docker-user");
    run(docker(config, "login", "-u", USER, "-p", PASSWORD, r.host()));
    String digest = dockerPushedDigest(run(docker(config, "push", ref)));

    try (ClientTestTools.Strata anon = new ClientTestTools.Strata(tmp.resolve("strata-anon"))) {
      var pulled = anon.pull(ref);
      assertEquals(digest, pulled.digest().toString(), "an anonymous pull is served");
      assertEquals(id, pulled.imageId().toString());
    }
    String raw = run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref),
        Map.of("REGISTRY_AUTH_FILE", tmp.resolve("none.json").toString()));
    assertEquals(digest, sha256(raw.getBytes(StandardCharsets.UTF_8)), "skopeo reads anonymously");
  }
}
