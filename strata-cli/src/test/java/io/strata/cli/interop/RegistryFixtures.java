package io.strata.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.layer.ApplyOptions;
import io.strata.layer.LayerApplier;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.oci.MediaTypes;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/** What the registry tests share: a CLI with its own credentials file, output parsing, an OCI layout builder. */
final class RegistryFixtures {
  private static final Pattern PUSHED = Pattern.compile("(?m)^\\S+: digest: (sha256:[0-9a-f]{64}) size: \\d+$");

  private RegistryFixtures() {}

  /**
   * strata on store {@code root} with {@code $DOCKER_CONFIG} = {@code dockerConfig} (nothing is read
   * from or written to the user's ~/.docker) and no daemon.json ({@code $STRATA_CONFIG} names a file
   * that does not exist).
   */
  static StrataCli cli(Path root, Path dockerConfig) {
    return new StrataCli(root, Map.of("DOCKER_CONFIG", dockerConfig.toString(),
        "STRATA_CONFIG", root.resolveSibling(root.getFileName() + "-no-daemon.json").toString(),
        "HOME", dockerConfig.toString()));
  }

  /** The same with {@code $STRATA_CONFIG} a daemon.json holding {@code daemonJson}. */
  static StrataCli cli(Path root, Path dockerConfig, String daemonJson) throws IOException {
    Path file = Files.writeString(root.resolveSibling(root.getFileName() + "-daemon.json"), daemonJson);
    return new StrataCli(root, Map.of("DOCKER_CONFIG", dockerConfig.toString(), "STRATA_CONFIG", file.toString(),
        "HOME", dockerConfig.toString()));
  }

  /** The digest in push's last line, {@code TAG: digest: sha256:... size: N}. */
  static String pushedDigest(String out) {
    Matcher m = PUSHED.matcher(out);
    assertTrue(m.find(), () -> "no digest line in push output:\n" + out);
    return m.group(1);
  }

  /**
   * A failed command: non-zero exit, and stderr one line, {@code Error: ...} with every fragment (no
   * stack trace, no usage text).
   */
  static String assertOneLineError(StrataCli.Result r, String... fragments) {
    assertNotEquals(0, r.code(), () -> "expected a failure, got:\n" + r.out());
    String err = r.err().strip();
    assertFalse(err.contains("\n"), () -> "one line expected, got:\n" + err);
    assertTrue(err.startsWith("Error: "), err);
    for (String f : fragments) assertTrue(err.contains(f), () -> "\"" + f + "\" expected in: " + err);
    return err;
  }

  /** Lines of {@code out} that end with {@code suffix}, e.g. ": Layer already exists". */
  static long countLines(String out, String suffix) {
    return out.lines().filter(l -> l.endsWith(suffix)).count();
  }

  static void assertFsckClean(StrataCli cli) {
    StrataCli.Result fsck = cli.exec("system", "fsck");
    assertEquals(0, fsck.code(), () -> "fsck: " + fsck.out() + fsck.err());
    assertTrue(fsck.out().strip().endsWith(": ok"), fsck.out());
  }

  /**
   * The interop busybox root ({@link StrataCli#busyboxRootfs()}'s shapes, the hardlink's header with
   * the file's mode) plus {@code etc/marker} holding {@code marker}: a layer no other test pushed.
   */
  static byte[] busyboxRootfs(String marker) throws IOException {
    byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
    return TarFixture.of(
        TarFixture.dir("bin", 0755),
        TarFixture.file("bin/busybox", busybox, 0755),
        TarFixture.symlink("busybox", "bin/sh"),
        TarFixture.symlink("busybox", "bin/cat"),
        TarFixture.symlink("busybox", "bin/echo"),
        TarFixture.symlink("/bin/busybox", "bin/ls"),
        // a hardlink's header as tar writers make it (stat of the shared inode): the file's own mode
        TarFixture.hardlink("bin/busybox", "bin/busybox.hard").withMode(0755),
        TarFixture.dir("etc", 0755),
        TarFixture.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n", 0644),
        TarFixture.file("etc/marker", marker + "\n", 0644),
        TarFixture.dir("home", 0755),
        TarFixture.dir("home/user", 0750).withUid(1000).withGid(1000),
        TarFixture.file("home/user/notes.txt", "hello from strata\n", 0640).withUid(1000).withGid(1000),
        TarFixture.dir("tmp", 01777)).bytes();
  }

  static Path busyboxRootfs(Path dir, String marker) throws IOException {
    return Files.write(dir.resolve("rootfs-" + marker + ".tar"), busyboxRootfs(marker));
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(raw);
    }
    return b.toByteArray();
  }

  /** docker export's additions to an image's root: the container's own files and mount points. */
  static final List<String> DOCKER_EXPORT_ADDITIONS = List.of(".dockerenv", "dev", "proc", "sys", "etc/hostname",
      "etc/hosts", "etc/mtab", "etc/resolv.conf");

  /** A tar of a root (docker export) applied into {@code dir}, without what docker adds to every container. */
  static SortedMap<String, TreeSnapshot.TreeEntry> dockerExportRoot(Path tar, Path dir) throws IOException {
    Files.createDirectories(dir);
    try (InputStream in = Files.newInputStream(tar)) {
      new LayerApplier().apply(in, dir, ApplyOptions.defaults());
    }
    SortedMap<String, TreeSnapshot.TreeEntry> entries = new TreeMap<>(TreeSnapshot.of(dir).entries());
    entries.keySet().removeIf(k -> DOCKER_EXPORT_ADDITIONS.stream().anyMatch(a -> k.equals(a) || k.startsWith(a + "/")));
    return entries;
  }

  /** {@code path: docker X != strata Y} for every path whose entries differ. */
  static List<String> diff(Map<String, TreeSnapshot.TreeEntry> docker, Map<String, TreeSnapshot.TreeEntry> strata) {
    java.util.TreeSet<String> names = new java.util.TreeSet<>(docker.keySet());
    names.addAll(strata.keySet());
    List<String> out = new ArrayList<>();
    for (String n : names) {
      TreeSnapshot.TreeEntry a = docker.get(n);
      TreeSnapshot.TreeEntry b = strata.get(n);
      if (a == null || b == null || !a.equals(b)) out.add(n + ": docker " + show(a) + " != strata " + show(b));
    }
    return out;
  }

  private static String show(TreeSnapshot.TreeEntry e) {
    return e == null ? "(none)" : e.type() + " " + Integer.toOctalString(e.mode()) + " " + e.uid() + ":" + e.gid()
        + (e.sha256() == null ? "" : " " + e.sha256().substring(0, 12)) + (e.linkTarget() == null ? "" : " -> " + e.linkTarget());
  }

  /**
   * An OCI image layout written by hand: single-layer images for given platforms, and an index of
   * them, so a multi-platform image can be copied into a registry by skopeo.
   */
  static final class OciLayout {
    private final Path dir;
    private final ArrayNode refs = Json.mapper().createArrayNode();

    OciLayout(Path dir) throws IOException {
      this.dir = dir;
      Files.createDirectories(dir.resolve("blobs/sha256"));
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    /** An image: one gzip layer of {@code rootfsTar}, a config for {@code os/arch} with {@code cmd}. Its manifest's descriptor. */
    ObjectNode image(byte[] rootfsTar, String os, String arch, List<String> cmd) throws IOException {
      return image(List.of(rootfsTar), os, arch, cmd);
    }

    /** The same with a gzip layer per tar, bottom first (a tar given twice is the same layer twice). */
    ObjectNode image(List<byte[]> layerTars, String os, String arch, List<String> cmd) throws IOException {
      ObjectNode config = Json.mapper().createObjectNode().put("created", "2024-01-02T03:04:05Z")
          .put("architecture", arch).put("os", os);
      ArrayNode c = config.putObject("config").putArray("Cmd");
      cmd.forEach(c::add);
      ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
      ArrayNode history = config.putArray("history");
      ObjectNode manifest = Json.mapper().createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
      ArrayNode layers = Json.mapper().createArrayNode();
      for (byte[] tar : layerTars) {
        diffIds.add(Digest.sha256(tar).toString());
        history.addObject().put("created", "2024-01-02T03:04:05Z").put("created_by", "hand-made " + arch);
        layers.add(blob(MediaTypes.OCI_LAYER_GZIP, gzip(tar)));
      }
      ObjectNode configDesc = blob(MediaTypes.OCI_CONFIG, Json.mapper().writeValueAsBytes(config));
      manifest.set("config", configDesc);
      manifest.set("layers", layers);
      ObjectNode desc = blob(MediaTypes.OCI_MANIFEST, Json.mapper().writeValueAsBytes(manifest));
      desc.putObject("platform").put("architecture", arch).put("os", os);
      desc.put("configDigest", configDesc.path("digest").asText()); // removed before it goes into an index
      return desc;
    }

    /** An index of {@code manifests}, tagged {@code tag} in the layout; its descriptor. */
    ObjectNode index(String tag, List<ObjectNode> manifests) throws IOException {
      ObjectNode index = Json.mapper().createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
      ArrayNode list = index.putArray("manifests");
      for (ObjectNode m : manifests) {
        ObjectNode copy = m.deepCopy();
        copy.remove("configDigest");
        list.add(copy);
      }
      ObjectNode desc = blob(MediaTypes.OCI_INDEX, Json.mapper().writeValueAsBytes(index));
      tag(tag, desc);
      return desc;
    }

    void tag(String tag, ObjectNode desc) throws IOException {
      ObjectNode ref = desc.deepCopy();
      ref.remove("configDigest");
      ref.remove("platform");
      ref.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
      refs.add(ref);
      ObjectNode top = Json.mapper().createObjectNode().put("schemaVersion", 2);
      top.set("manifests", refs);
      Files.write(dir.resolve("index.json"), Json.mapper().writeValueAsBytes(top));
    }

    private ObjectNode blob(String mediaType, byte[] bytes) throws IOException {
      Digest d = Digest.sha256(bytes);
      Files.write(dir.resolve("blobs/sha256").resolve(d.hex()), bytes);
      return Json.mapper().createObjectNode().put("mediaType", mediaType).put("digest", d.toString()).put("size", bytes.length);
    }
  }

  /** {@code strata inspect}'s RepoDigests. */
  static List<String> repoDigests(JsonNode inspect) {
    List<String> out = new ArrayList<>();
    inspect.path("RepoDigests").forEach(n -> out.add(n.asText()));
    return out;
  }
}
