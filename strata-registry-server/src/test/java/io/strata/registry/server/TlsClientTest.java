package io.strata.registry.server;

import static io.strata.registry.server.ClientTestTools.containersEnv;
import static io.strata.registry.server.ClientTestTools.exec;
import static io.strata.registry.server.ClientTestTools.podman;
import static io.strata.registry.server.ClientTestTools.require;
import static io.strata.registry.server.ClientTestTools.requireRoot;
import static io.strata.registry.server.ClientTestTools.run;
import static io.strata.registry.server.ClientTestTools.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Platform;
import io.strata.registry.server.RegistryFixture.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The registry over TLS from a certificate and PKCS#8 key made with openssl (RSA and EC): skopeo
 * verifies it with {@code --dest-cert-dir}/{@code --src-cert-dir} and refuses it without; podman
 * pulls with {@code --cert-dir}; docker (loopback: TLS unverified) pulls; strata verifies it through
 * {@code $STRATA_CERTS_D} under a host name that is not loopback's, and refuses it without.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsClientTest {
  static final String NAME = "registry.strata.test";

  @TempDir Path tmp;
  private RegistryFixture registry;
  private final List<String> dockerImages = new ArrayList<>();
  private String dockerHost;

  @AfterEach
  void stop() throws Exception {
    if (dockerHost != null) for (String i : dockerImages) exec(ClientTestTools.docker(dockerHost, tmp.resolve("docker"), "rmi", "-f", i));
    if (registry != null) registry.close();
  }

  /** A self-signed certificate for 127.0.0.1 and {@link #NAME}, its key as PKCS#8 ("BEGIN PRIVATE KEY"). */
  static Path[] certificate(Path dir, String keyType) throws IOException {
    require("openssl");
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    Path pkcs8 = dir.resolve("key.pkcs8.pem");
    List<String> req = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=strata registry test",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:" + NAME, "-keyout", key.toString(), "-out", cert.toString()));
    req.addAll(keyType.equals("rsa") ? List.of("-newkey", "rsa:2048") : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
    run(req);
    run(List.of("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", key.toString(), "-out", pkcs8.toString()));
    assertTrue(Files.readString(pkcs8).contains("BEGIN PRIVATE KEY"));
    return new Path[] {cert, pkcs8};
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa", "ec"})
  void clientsVerifyTheRegistrysCertificate(String keyType) throws Exception {
    require("skopeo");
    Path[] pem = certificate(Files.createDirectories(tmp.resolve("pki")), keyType);
    registry = RegistryFixture.start(Storage.FILESYSTEM, c -> c.withTls(pem[0], pem[1]));
    String host = registry.host();
    Path certDir = Files.createDirectories(tmp.resolve("certs"));
    Files.copy(pem[0], certDir.resolve("ca.crt"));

    ClientTestTools.OciLayout layout = new ClientTestTools.OciLayout(tmp.resolve("layout"));
    ObjectNode image = layout.image(List.of(ClientTestTools.rootfs("tls-" + keyType)), "linux", Platform.current().architecture());
    layout.tag("t", image);
    String digest = image.path("digest").asText();
    String ref = host + "/clienttest/tls-" + keyType + ":1";

    Map<String, String> noAuth = Map.of("REGISTRY_AUTH_FILE", tmp.resolve("none.json").toString());
    ClientTestTools.Result unverified = exec(List.of("skopeo", "copy", "-q", "oci:" + layout.dir + ":t", "docker://" + ref), noAuth,
        ClientTestTools.TOOL_TIMEOUT);
    assertNotEquals(0, unverified.code(), "skopeo refuses a certificate it cannot verify");
    assertTrue(unverified.all().contains("x509") || unverified.all().contains("certificate"), unverified.all());

    run(List.of("skopeo", "copy", "-q", "--preserve-digests", "--dest-cert-dir", certDir.toString(), "oci:" + layout.dir + ":t",
        "docker://" + ref), noAuth);
    Path back = tmp.resolve("back");
    run(List.of("skopeo", "copy", "-q", "--preserve-digests", "--src-cert-dir", certDir.toString(), "docker://" + ref,
        "oci:" + back + ":t"), noAuth);
    assertEquals(digest, new ClientTestTools.OciLayout(back).tagged("t").path("digest").asText(), "copied in and out over verified TLS");
    String raw = run(List.of("skopeo", "inspect", "--raw", "--cert-dir", certDir.toString(), "docker://" + ref), noAuth);
    assertEquals(digest, sha256(raw.getBytes(StandardCharsets.UTF_8)));

    // strata: verified under a name that is not loopback's, with $STRATA_CERTS_D/HOST:PORT/ca.crt (two JVMs: once, for RSA)
    if (keyType.equals("rsa")) {
      Path strataCerts = tmp.resolve("strata-certs.d");
      Files.createDirectories(strataCerts.resolve(NAME + ":" + registry.port()));
      Files.copy(pem[0], strataCerts.resolve(NAME + ":" + registry.port()).resolve("ca.crt"));
      String named = NAME + ":" + registry.port() + "/clienttest/tls-" + keyType + ":1";
      ClientTestTools.Result verified = strataPull(named, strataCerts);
      assertEquals(0, verified.code(), verified.all());
      assertEquals(digest + " " + image.path("configDigest").asText(), verified.out().strip());
      ClientTestTools.Result refused = strataPull(named, null);
      assertNotEquals(0, refused.code(), "strata refuses a certificate no certs.d vouches for:\n" + refused.all());
      assertTrue(refused.out().contains("tls") || refused.out().contains("certif") || refused.out().contains("PKIX"), refused.all());
    }

    // loopback: strata and docker speak TLS unverified (Docker's rule for 127.0.0.0/8)
    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
      assertEquals(digest, strata.pull(ref).digest().toString());
    }
    if (keyType.equals("rsa")) {
      requireRoot();
      require("podman");
      Path state = tmp.resolve("podman");
      Map<String, String> env = containersEnv(state);
      run(podman(state, "pull", "-q", "--cert-dir", certDir.toString(), ref), env);
      assertEquals(digest, run(podman(state, "image", "inspect", "--format", "{{.Digest}}", ref), env).strip(), "podman over verified TLS");
      dockerHost = ClientTestTools.dockerHost();
      dockerImages.add(ref);
      String out = run(ClientTestTools.docker(dockerHost, tmp.resolve("docker"), "pull", ref));
      assertTrue(out.contains("Digest: " + digest), out);
    }
  }

  private ClientTestTools.Result strataPull(String ref, Path certsD) throws IOException {
    Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 " + NAME + "\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = List.of(java, "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
        ClientTestTlsPull.class.getName(), Files.createTempDirectory(tmp, "store").toString(), ref);
    Map<String, String> env = certsD == null ? Map.of("STRATA_CERTS_D", "") : Map.of("STRATA_CERTS_D", certsD.toString());
    long t = System.nanoTime();
    ClientTestTools.Result r = exec(cmd, env, Duration.ofSeconds(90));
    System.out.printf("tls: strata pull in a JVM of its own (%s): %d ms%n", certsD == null ? "no certs.d" : "certs.d",
        (System.nanoTime() - t) / 1_000_000);
    return r;
  }
}
