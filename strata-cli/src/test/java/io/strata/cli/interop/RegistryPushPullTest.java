package io.strata.cli.interop;

import static io.strata.cli.interop.RegistryFixtures.assertFsckClean;
import static io.strata.cli.interop.RegistryFixtures.cli;
import static io.strata.cli.interop.RegistryFixtures.countLines;
import static io.strata.cli.interop.RegistryFixtures.pushedDigest;
import static io.strata.cli.interop.RegistryFixtures.repoDigests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strata's push and pull against a real registry (distribution 2.8, no authentication): push, then
 * pull into an empty store by tag, by digest and with -a; the registry digest in images --digests
 * and inspect; the pulled image runs; a push uploads only what the registry lacks and mounts across
 * repositories; a build pulls a FROM image it lacks and --pull re-resolves it.
 */
class RegistryPushPullTest {
  @TempDir static Path shared;
  private static RegistryServer registry;
  private static StrataCli source;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    HostRequirements.containers();
    registry = RegistryServer.start(shared.resolve("registry"), RegistryServer.Auth.NONE);
    source = cli(shared.resolve("source"), shared.resolve("docker-config"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) registry.close();
  }

  private StrataCli fresh(String name) {
    return cli(tmp.resolve(name), shared.resolve("docker-config"));
  }

  @Test
  void pushedImagePullsIntoAnEmptyStoreByTagDigestAndAllTagsAndRuns() throws IOException {
    String repo = registry.host() + "/it/busybox";
    Path rootfs = RegistryFixtures.busyboxRootfs(tmp, "pull");
    String id = source.ok("import", "-c", "CMD [\"cat\", \"/home/user/notes.txt\"]", rootfs.toString(), repo + ":1").strip();
    String push = source.ok("push", repo + ":1");
    assertTrue(push.startsWith("The push refers to repository [" + repo + "]\n"), push);
    assertEquals(1, countLines(push, ": Pushed"), push);
    String digest = pushedDigest(push);
    assertTrue(registry.blobs().containsKey(id), "the registry holds the config " + id + ": " + registry.blobs().keySet());
    assertTrue(registry.blobs().containsKey(digest), "and the manifest");
    assertTrue(repoDigests(source.inspect(repo + ":1")).contains(repo + "@" + digest), "push records the repository digest");

    StrataCli store = fresh("store");
    String pull = store.ok("pull", repo + ":1");
    List<String> lines = pull.lines().toList();
    assertEquals("1: Pulling from " + repo, lines.getFirst(), pull);
    assertTrue(lines.contains("Digest: " + digest), pull);
    assertTrue(lines.contains("Status: Downloaded newer image for " + repo + ":1"), pull);
    assertEquals(repo + ":1", lines.getLast());
    JsonNode inspect = store.inspect(repo + ":1");
    assertEquals(id, inspect.path("Id").asText());
    assertEquals(List.of(repo + "@" + digest), repoDigests(inspect));
    assertEquals(StrataCli.layers(source.inspect(repo + ":1")), StrataCli.layers(inspect));
    String images = store.ok("images", "--digests", "--format", "{{.Repository}} {{.Tag}} {{.Digest}} {{.ID}}");
    assertEquals(repo + " 1 " + digest + " " + id.substring(7, 19), images.strip());
    assertEquals("hello from strata\n", store.ok("run", "--rm", repo + ":1"));
    assertTrue(store.ok("pull", repo + ":1").contains("Status: Image is up to date for " + repo + ":1"));

    StrataCli byDigest = fresh("by-digest");
    String out = byDigest.ok("pull", repo + "@" + digest);
    assertEquals(repo + "@" + digest, out.strip().lines().toList().getLast());
    assertTrue(out.startsWith(digest + ": Pulling from " + repo), out);
    assertEquals(id, byDigest.inspect(repo + "@" + digest).path("Id").asText());
    assertEquals(List.of(repo + "@" + digest), repoDigests(byDigest.inspect(id)));
    assertEquals("hello from strata\n", byDigest.ok("run", "--rm", repo + "@" + digest));

    // pull -a: every tag of the repository, a second one naming another image
    source.ok("import", "-c", "CMD [\"echo\", \"two\"]", rootfs.toString(), repo + ":2");
    String pushAll = source.ok("push", "-a", repo); // every local tag of the repository
    List<String> digestLines = pushAll.lines().filter(l -> l.matches("\\S+: digest: sha256:[0-9a-f]{64} size: \\d+")).toList();
    assertEquals(2, digestLines.size(), pushAll);
    assertTrue(digestLines.getFirst().startsWith("1: digest: " + digest + " "), pushAll);
    assertTrue(digestLines.get(1).startsWith("2: digest: "), pushAll);
    String digest2 = digestLines.get(1).split(" ")[2];
    StrataCli all = fresh("all-tags");
    String allOut = all.ok("pull", "-a", repo);
    assertEquals(repo, allOut.strip().lines().toList().getLast(), allOut);
    Set<String> tags = new TreeSet<>(all.ok("images", "--digests", "--format", "{{.Tag}} {{.Digest}}").strip().lines().toList());
    assertEquals(new TreeSet<>(List.of("1 " + digest, "2 " + digest2)), tags);
    assertEquals("two\n", all.ok("run", "--rm", repo + ":2"));
    assertFsckClean(store);
    assertFsckClean(byDigest);
    assertFsckClean(all);
  }

  /**
   * An image sharing all but one layer with one already pushed uploads only its new layer and its
   * config ("Layer already exists" for the rest); a push of it to another repository of the same
   * registry mounts every blob, uploading nothing.
   */
  @Test
  void aPushUploadsOnlyWhatTheRegistryLacksAndMountsFromAnotherRepository() throws IOException {
    String app = registry.host() + "/it/app";
    Path rootfs = RegistryFixtures.busyboxRootfs(tmp, "shared");
    source.ok("import", rootfs.toString(), "shared/base:1");
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("a.txt"), "a");
    Files.writeString(ctx.resolve("b.txt"), "b");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM shared/base:1\nCOPY a.txt /a.txt\n");
    source.ok("build", "-q", "-t", app + ":a", ctx.toString());
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + app + ":a\nCOPY b.txt /b.txt\n");
    String idB = source.ok("build", "-q", "-t", app + ":b", ctx.toString()).strip();
    List<String> layersB = StrataCli.layers(source.inspect(app + ":b"));
    assertEquals(3, layersB.size());

    source.ok("push", app + ":a");
    Map<String, Long> before = registry.blobs();
    int putsBefore = completedUploads();
    String push = source.ok("push", app + ":b");
    assertEquals(2, countLines(push, ": Layer already exists"), push);
    assertEquals(1, countLines(push, ": Pushed"), push);
    String digestB = pushedDigest(push);
    Map<String, Long> added = new TreeMap<>(registry.blobs());
    added.keySet().removeAll(before.keySet());
    assertEquals(3, added.size(), "the new layer, the config and the manifest: " + added);
    assertTrue(added.containsKey(idB) && added.containsKey(digestB), added.toString());
    assertEquals(2, completedUploads() - putsBefore, "upload PUTs: the new layer and the config");

    String other = registry.host() + "/it/other";
    source.ok("tag", app + ":b", other + ":b");
    Map<String, Long> beforeMount = registry.blobs();
    int putsBeforeMount = completedUploads();
    int requestsBeforeMount = registry.requests().size();
    String mounted = source.ok("push", other + ":b");
    assertEquals(3, countLines(mounted, ": Mounted from it/app"), mounted);
    assertEquals(digestB, pushedDigest(mounted), "the same manifest");
    assertEquals(beforeMount, registry.blobs(), "nothing uploaded");
    assertEquals(putsBeforeMount, completedUploads(), "no upload completed");
    List<RegistryServer.Logged> mounts = registry.requests().subList(requestsBeforeMount, registry.requests().size()).stream()
        .filter(r -> r.method().equals("POST") && r.uri().contains("mount=")).toList();
    assertEquals(4, mounts.size(), "a mount per layer and the config: " + mounts);
    assertTrue(mounts.stream().allMatch(r -> r.status() == 201), mounts.toString());

    StrataCli store = fresh("pulled");
    store.ok("pull", other + ":b");
    assertEquals(layersB, StrataCli.layers(store.inspect(other + ":b")));
    assertFsckClean(store);
  }

  /** Blob uploads the registry completed: PUT .../blobs/uploads/... answered 201. */
  private static int completedUploads() throws IOException {
    return (int) registry.requests().stream()
        .filter(r -> r.method().equals("PUT") && r.uri().contains("/blobs/uploads/") && r.status() == 201).count();
  }

  /** --compression-format zstd: OCI types with +zstd layers in the registry; pulled back, the same image, and it runs. */
  @Test
  void aZstdPushPullsBackAsTheSameImage() throws Exception {
    String ref = registry.host() + "/it/zstd:1";
    String id = source.ok("import", "-c", "CMD [\"cat\", \"/etc/marker\"]",
        RegistryFixtures.busyboxRootfs(tmp, "zstd").toString(), ref).strip();
    String digest = pushedDigest(source.ok("push", "--compression-format", "zstd", ref));
    JsonNode manifest = registry.manifest("it/zstd", digest);
    assertEquals(io.strata.oci.MediaTypes.OCI_MANIFEST, manifest.path("mediaType").asText());
    assertEquals(io.strata.oci.MediaTypes.OCI_LAYER_ZSTD, manifest.path("layers").get(0).path("mediaType").asText());
    StrataCli store = fresh("store");
    store.ok("pull", ref);
    JsonNode pulled = store.inspect(ref);
    assertEquals(StrataCli.layers(source.inspect(ref)), StrataCli.layers(pulled), "the same diff IDs");
    assertEquals(manifest.path("config").path("digest").asText(), pulled.path("Id").asText());
    assertEquals("zstd\n", store.ok("run", "--rm", ref));
    assertFsckClean(store);
    assertNotEquals("", id);
  }

  /** A FROM image only the registry has is pulled by build; --pull re-resolves it when the tag moved. */
  @Test
  void buildPullsItsBaseFromTheRegistryAndPullFlagReResolvesIt() throws IOException {
    String base = registry.host() + "/it/base:1";
    Path rootfs = RegistryFixtures.busyboxRootfs(tmp, "build");
    String oldId = source.ok("import", "-c", "CMD [\"sh\"]", rootfs.toString(), base).strip();
    source.ok("push", base);
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("f.txt"), "f");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nCOPY f.txt /f.txt\n");

    StrataCli builder = fresh("builder");
    String out = builder.ok("build", "-t", "built:1", ctx.toString());
    assertTrue(out.contains("Pulling from " + registry.host() + "/it/base"), out);
    assertEquals(oldId, builder.inspect(base).path("Id").asText());
    List<String> oldBase = StrataCli.layers(builder.inspect(base));
    assertEquals(oldBase.getFirst(), StrataCli.layers(builder.inspect("built:1")).getFirst());

    // the tag moves in the registry: a build without --pull keeps the stored base, --pull takes the new one
    byte[] changed = TarFixture.of(TarFixture.dir("bin", 0755),
        TarFixture.file("bin/busybox", Files.readAllBytes(Path.of("/bin/busybox")), 0755),
        TarFixture.symlink("busybox", "bin/sh"), TarFixture.file("etc/version", "2\n", 0644)).bytes();
    Path changedTar = Files.write(tmp.resolve("changed.tar"), changed);
    String newId = source.ok("import", "-c", "CMD [\"sh\"]", changedTar.toString(), base).strip();
    assertNotEquals(oldId, newId);
    source.ok("push", base);
    builder.ok("build", "-q", "-t", "built:2", ctx.toString());
    assertEquals(oldBase.getFirst(), StrataCli.layers(builder.inspect("built:2")).getFirst(), "no --pull: the stored base");
    String pulled = builder.ok("build", "--pull", "-t", "built:3", ctx.toString());
    assertTrue(pulled.contains("Pulling from " + registry.host() + "/it/base"), pulled);
    assertEquals(newId, builder.inspect(base).path("Id").asText(), "--pull moved the base's tag");
    List<String> built = StrataCli.layers(builder.inspect("built:3"));
    assertEquals(StrataCli.layers(source.inspect(base)).getFirst(), built.getFirst(), "--pull: built on the new base");
    assertEquals("2\n", builder.ok("run", "--rm", "built:3", "/bin/busybox", "cat", "/etc/version"));
    assertFsckClean(builder);
  }
}
