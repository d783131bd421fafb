package io.strata.cli.interop;

import static io.strata.cli.interop.ExternalTools.require;
import static io.strata.cli.interop.ExternalTools.requireRoot;
import static io.strata.cli.interop.RegistryFixtures.assertFsckClean;
import static io.strata.cli.interop.RegistryFixtures.cli;
import static io.strata.cli.interop.RegistryFixtures.pushedDigest;
import static io.strata.cli.interop.RegistryFixtures.repoDigests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.oci.Platform;
import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strata and other clients through one real registry: what strata pushes, skopeo and podman pull
 * with the same manifest and config digests; what docker push and skopeo copy put there, strata
 * pulls with the same manifest digest and the same flattened root as docker export of a container
 * of it; a multi-platform index (skopeo copy --all) is pulled for the host platform, and for
 * another with --platform.
 */
class RegistryInteropTest {
  @TempDir static Path shared;
  private static RegistryServer registry;
  private static Dockerd docker;
  private static final List<String> dockerImages = new CopyOnWriteArrayList<>();
  private static final List<String> dockerContainers = new CopyOnWriteArrayList<>();

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    require("docker");
    require("dockerd");
    require("skopeo");
    require("podman");
    requireRoot();
    HostRequirements.containers();
    registry = RegistryServer.start(shared.resolve("registry"), RegistryServer.Auth.NONE);
    docker = Dockerd.start(shared);
  }

  @AfterAll
  static void stop() throws Exception {
    if (docker != null) {
      for (String c : dockerContainers) ExternalTools.exec(docker.cmd("rm", "-f", c));
      for (String i : dockerImages) ExternalTools.exec(docker.cmd("rmi", "-f", i));
      docker.close();
    }
    if (registry != null) registry.close();
  }

  private StrataCli fresh(String name) {
    return cli(tmp.resolve(name), tmp.resolve("docker-config"));
  }

  @Test
  void whatStrataPushesSkopeoAndPodmanPullWithTheSameDigests() throws IOException {
    StrataCli strata = fresh("store");
    String ref = registry.host() + "/it/strata-made:1";
    String id = strata.ok("import", "-c", "CMD [\"sh\"]", "-c", "ENV PATH=/bin",
        RegistryFixtures.busyboxRootfs(tmp, "strata-made").toString(), ref).strip();
    String digest = pushedDigest(strata.ok("push", ref));

    Path layout = tmp.resolve("layout");
    ExternalTools.run(List.of("skopeo", "copy", "-q", "--src-tls-verify=false", "--preserve-digests", "docker://" + ref,
        "oci:" + layout + ":t"));
    JsonNode index = Json.readTree(Files.readAllBytes(layout.resolve("index.json")), "index.json");
    assertEquals(digest, index.path("manifests").get(0).path("digest").asText(), "skopeo's manifest digest");
    JsonNode manifest = Json.readTree(blob(layout, digest), "manifest");
    assertEquals(id, manifest.path("config").path("digest").asText(), "skopeo's config digest");
    blob(layout, id);
    List<String> layers = new ArrayList<>();
    for (JsonNode l : manifest.path("layers")) layers.add(Digest.sha256(blob(layout, l.path("digest").asText())).toString());
    assertEquals(1, layers.size());

    List<String> podman = new ArrayList<>(List.of("podman", "--root", tmp.resolve("podman").toString(), "--runroot",
        tmp.resolve("podman-run").toString(), "--storage-driver", "vfs", "--runtime", "runc", "--events-backend", "file",
        "--cgroup-manager", "cgroupfs"));
    List<String> pull = new ArrayList<>(podman);
    pull.addAll(List.of("pull", "-q", "--tls-verify=false", ref));
    assertEquals(id.substring(7), ExternalTools.run(pull).strip(), "podman's image ID is the config digest");
    List<String> inspect = new ArrayList<>(podman);
    inspect.addAll(List.of("image", "inspect", "--format", "{{.Digest}} {{.Id}}", ref));
    assertEquals(digest + " " + id.substring(7), ExternalTools.run(inspect).strip());
  }

  @Test
  void whatDockerPushesStrataPullsWithTheSameDigestAndRoot() throws IOException {
    String ref = registry.host() + "/it/docker-made:1";
    Path rootfs = RegistryFixtures.busyboxRootfs(tmp, "docker-made");
    dockerImages.add(ref);
    docker.run("import", "-c", "CMD [\"cat\", \"/etc/marker\"]", rootfs.toString(), ref);
    String digest = pushedDigest(docker.run("push", ref));
    String dockerId = docker.run("image", "inspect", "--format", "{{.Id}}", ref).strip();

    StrataCli strata = fresh("store");
    strata.ok("pull", ref);
    JsonNode ours = strata.inspect(ref);
    assertEquals(dockerId, ours.path("Id").asText());
    assertEquals(List.of(registry.host() + "/it/docker-made@" + digest), repoDigests(ours));
    assertEquals("docker-made\n", strata.ok("run", "--rm", ref));
    assertSameRootAsDockerExport(strata, ref);
    assertFsckClean(strata);
  }

  @Test
  void whatSkopeoCopiesStrataPullsWithTheSameDigestAndRoot() throws IOException {
    RegistryFixtures.OciLayout layout = new RegistryFixtures.OciLayout(tmp.resolve("layout"));
    Platform host = Platform.current();
    ObjectNode image = layout.image(RegistryFixtures.busyboxRootfs("skopeo-made"), "linux", host.architecture(),
        List.of("cat", "/etc/marker"));
    layout.tag("t", image);
    String ref = registry.host() + "/it/skopeo-made:1";
    ExternalTools.run(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "--preserve-digests",
        "oci:" + tmp.resolve("layout") + ":t", "docker://" + ref));
    String digest = image.path("digest").asText();

    StrataCli strata = fresh("store");
    strata.ok("pull", ref);
    JsonNode ours = strata.inspect(ref);
    assertEquals(image.path("configDigest").asText(), ours.path("Id").asText());
    assertEquals(List.of(registry.host() + "/it/skopeo-made@" + digest), repoDigests(ours));
    assertEquals("skopeo-made\n", strata.ok("run", "--rm", ref));
    dockerImages.add(ref);
    docker.run("pull", "-q", ref);
    assertEquals(digest, docker.run("image", "inspect", "--format", "{{index .RepoDigests 0}}", ref).strip().replaceAll(".*@", ""));
    assertSameRootAsDockerExport(strata, ref);
  }

  @Test
  void aMultiPlatformIndexIsPulledForTheHostAndForAnotherPlatform() throws IOException {
    RegistryFixtures.OciLayout layout = new RegistryFixtures.OciLayout(tmp.resolve("layout"));
    String hostArch = Platform.current().architecture();
    String otherArch = hostArch.equals("arm64") ? "amd64" : "arm64";
    ObjectNode here = layout.image(RegistryFixtures.busyboxRootfs("multi-" + hostArch), "linux", hostArch,
        List.of("cat", "/etc/marker"));
    byte[] otherRoot = TarFixture.of(TarFixture.dir("etc", 0755), TarFixture.file("etc/marker", "multi-" + otherArch + "\n", 0644))
        .bytes();
    ObjectNode other = layout.image(otherRoot, "linux", otherArch, List.of("cat", "/etc/marker"));
    ObjectNode index = layout.index("multi", List.of(here, other));
    String repo = registry.host() + "/it/multi";
    ExternalTools.run(List.of("skopeo", "copy", "-q", "--all", "--dest-tls-verify=false", "--preserve-digests",
        "oci:" + tmp.resolve("layout") + ":multi", "docker://" + repo + ":1"));
    String indexDigest = index.path("digest").asText();

    StrataCli strata = fresh("store");
    String out = strata.ok("pull", repo + ":1");
    assertEquals(List.of("Digest: " + indexDigest), out.lines().filter(l -> l.startsWith("Digest: ")).toList(), out);
    JsonNode ours = strata.inspect(repo + ":1");
    assertEquals(here.path("configDigest").asText(), ours.path("Id").asText(), "the host's image");
    assertEquals(List.of(repo + "@" + indexDigest), repoDigests(ours));
    assertEquals("multi-" + hostArch + "\n", strata.ok("run", "--rm", repo + ":1"));

    StrataCli foreign = fresh("foreign");
    foreign.ok("pull", "--platform", "linux/" + otherArch, repo + ":1");
    JsonNode theirs = foreign.inspect(repo + ":1");
    assertEquals(other.path("configDigest").asText(), theirs.path("Id").asText(), "the other platform's image");
    assertEquals(otherArch, theirs.path("Architecture").asText());
    assertEquals(List.of(repo + "@" + indexDigest), repoDigests(theirs));
    assertNotEquals(ours.path("Id").asText(), theirs.path("Id").asText());
    assertFsckClean(strata);
    assertFsckClean(foreign);

    StrataCli byDigest = fresh("by-digest");
    byDigest.ok("pull", repo + "@" + indexDigest);
    assertEquals(here.path("configDigest").asText(), byDigest.inspect(repo + "@" + indexDigest).path("Id").asText());
  }

  /**
   * A manifest that names the same layer twice (as images with repeated empty layers do), copied in
   * by skopeo: strata pulls it, records both layers and runs it; docker agrees on the root.
   */
  @Test
  void aLayerNamedTwiceInAManifestIsPulledAndRuns() throws IOException {
    RegistryFixtures.OciLayout layout = new RegistryFixtures.OciLayout(tmp.resolve("layout"));
    byte[] again = TarFixture.of(TarFixture.file("etc/again", "again\n", 0644)).bytes();
    ObjectNode image = layout.image(List.of(RegistryFixtures.busyboxRootfs("twice"), again, again), "linux",
        Platform.current().architecture(), List.of("cat", "/etc/again"));
    layout.tag("t", image);
    String ref = registry.host() + "/it/twice:1";
    ExternalTools.run(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "--preserve-digests",
        "oci:" + tmp.resolve("layout") + ":t", "docker://" + ref));
    StrataCli strata = fresh("store");
    strata.ok("pull", ref);
    JsonNode ours = strata.inspect(ref);
    assertEquals(image.path("configDigest").asText(), ours.path("Id").asText());
    assertEquals(3, StrataCli.layers(ours).size());
    assertEquals(StrataCli.layers(ours).get(1), StrataCli.layers(ours).get(2));
    assertEquals("again\n", strata.ok("run", "--rm", ref));
    assertFsckClean(strata);
    dockerImages.add(ref);
    docker.run("pull", "-q", ref);
    assertSameRootAsDockerExport(strata, ref);
  }

  /**
   * A hardlink entry whose header has another mode and owner than its target's entry (a hand-made
   * or rewritten tar): Docker (moby's createTarFile: Lchown, handleLChmod, Chtimes) and containerd
   * apply them to the shared inode, so the same pushed image has a different root in docker than
   * in strata unless strata does the same.
   */
  @Test
  void aHardlinkHeadersModeAndOwnerApplyToItsInodeAsInDocker() throws IOException {
    String ref = registry.host() + "/it/hardlink:1";
    byte[] tar = TarFixture.of(TarFixture.dir("bin", 0755),
        TarFixture.file("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755),
        TarFixture.symlink("busybox", "bin/sh"), TarFixture.dir("etc", 0755),
        TarFixture.file("data", "shared inode\n", 0600),
        TarFixture.hardlink("data", "data.link").withMode(0644).withUid(1000).withGid(1000)).bytes();
    Path rootfs = Files.write(tmp.resolve("hardlink.tar"), tar);
    dockerImages.add(ref);
    docker.run("import", "-c", "CMD [\"sh\"]", rootfs.toString(), ref);
    String digest = pushedDigest(docker.run("push", ref));
    StrataCli strata = fresh("store");
    strata.ok("pull", ref);
    assertEquals(List.of(registry.host() + "/it/hardlink@" + digest), repoDigests(strata.inspect(ref)));
    assertSameRootAsDockerExport(strata, ref);
  }

  /** strata's flattened root of {@code ref} is docker export's of a container of it, less docker's own files. */
  private void assertSameRootAsDockerExport(StrataCli strata, String ref) throws IOException {
    String name = "strata-it-registry-" + registry.port() + "-" + dockerContainers.size();
    dockerContainers.add(name);
    docker.run("create", "--network", "none", "--name", name, ref);
    Path tar = tmp.resolve(name + ".tar");
    docker.run("export", "-o", tar.toString(), name);
    var theirs = RegistryFixtures.dockerExportRoot(tar, tmp.resolve(name + "-root"));
    var ours = TreeSnapshot.of(strata.flatten(ref, Files.createDirectories(tmp.resolve(name + "-strata")))).entries();
    assertEquals(List.of(), RegistryFixtures.diff(theirs, ours), "flattened root of " + ref + ": docker export vs strata");
  }

  private static byte[] blob(Path layout, String digest) throws IOException {
    Digest d = Digest.parseSupported(digest);
    byte[] bytes = Files.readAllBytes(layout.resolve("blobs").resolve(d.algorithm()).resolve(d.hex()));
    assertEquals(d, Digest.sha256(bytes), "blob " + digest + " hashes to its name");
    return bytes;
  }
}
