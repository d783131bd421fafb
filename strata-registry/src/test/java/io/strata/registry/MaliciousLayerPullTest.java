package io.strata.registry;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.hardlink;
import static io.strata.testkit.TarFixture.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.ApplyOptions;
import io.strata.layer.ApplyResult;
import io.strata.layer.LayerApplier;
import io.strata.store.LayerRecord;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pull-unpack path for hostile layers (SECURITY.md S1–S5 through a registry): a pulled layer goes
 * through the applier's breakout checks as it downloads, a layer that climbs out fails the pull with an
 * error naming the entry, nothing is written outside the target directory and no image is recorded.
 */
class MaliciousLayerPullTest extends HostileRegistryBase {
  Path host;
  Path root;
  Path victim;

  /** Applies each layer onto one directory with strata's LayerApplier, checking its diffID as the contract asks. */
  static final class ApplyingUnpacker implements LayerUnpacker {
    private final Path root;

    ApplyingUnpacker(Path root) {
      this.root = root;
    }

    @Override
    public boolean unpacked(List<LayerRecord> layers, int index) {
      return false;
    }

    @Override
    public long unpack(List<LayerRecord> layers, int index, InputStream blob) {
      ApplyResult r = new LayerApplier().apply(blob, root, ApplyOptions.defaults().withPrivileged(false));
      if (!r.diffId().equals(layers.get(index).diffId())) {
        throw new DataLossException("layer " + index + ": content is " + r.diffId() + ", the config says " + layers.get(index).diffId());
      }
      return r.uncompressedSize();
    }
  }

  @BeforeEach
  void sentinels() throws Exception {
    host = Files.createDirectories(tmp.resolve("host"));
    root = Files.createDirectories(host.resolve("root"));
    victim = Files.createDirectories(host.resolve("victim"));
    Files.writeString(victim.resolve("secret"), "untouched\n");
  }

  Puller.Result pullUnpacking(String ref) {
    return pull(client(), ref, new ApplyingUnpacker(root));
  }

  /** Everything on the host beside the root, as it was before the pull. */
  TreeSnapshot hostOutsideRoot() throws Exception {
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(host)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    assertEquals(List.of("root", "victim"), names, "something was created beside the root");
    return TreeSnapshot.of(victim);
  }

  static Stream<Arguments> breakouts() {
    return Stream.<Arguments>of(
        Arguments.of("../evil", (Function<Path, TarEntrySpec[]>) v -> new TarEntrySpec[] {file("../evil", "pwned", 0644)}, "../evil"),
        Arguments.of("a/../../evil", (Function<Path, TarEntrySpec[]>) v -> new TarEntrySpec[] {
            dir("a", 0755), file("a/../../evil", "pwned", 0644)}, "a/../../evil"),
        Arguments.of("../victim/secret", (Function<Path, TarEntrySpec[]>) v -> new TarEntrySpec[] {
            file("../victim/secret", "pwned", 0777)}, "../victim/secret"),
        Arguments.of("hardlink to ../victim/secret", (Function<Path, TarEntrySpec[]>) v -> new TarEntrySpec[] {
            hardlink("../victim/secret", "grab")}, "grab"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breakouts")
  void climbingLayerFailsThePullAndWritesNothingOutside(String name, Function<Path, TarEntrySpec[]> entries, String named)
      throws Exception {
    TreeSnapshot before = hostOutsideRoot();
    byte[] benign = TarFixture.of(dir("etc", 0755), file("etc/os-release", "ID=test\n", 0644)).bytes();
    byte[] hostile = TarFixture.of(entries.apply(victim)).bytes();
    FakeRegistry.TestImage img = FakeRegistry.image(benign, hostile);
    reg.put("repo", "t", img);
    assertOneLine(InvalidArgumentException.class, () -> pullUnpacking("repo:t"), named);
    assertEquals(List.of(), before.diff(hostOutsideRoot()), "the host changed");
    assertEquals("untouched\n", Files.readString(victim.resolve("secret")));
    assertEquals(1, ((Number) Files.getAttribute(victim.resolve("secret"), "unix:nlink")).intValue());
    assertClean();
  }

  /** S1: a symlink to a host path is followed as if the root were /: the write lands inside the root. */
  @Test
  void absoluteSymlinkToTheHostIsClampedIntoTheRoot() throws Exception {
    TreeSnapshot before = hostOutsideRoot();
    String abs = victim.toAbsolutePath().toString();
    byte[] hostile = TarFixture.of(symlink(abs, "escape"), file("escape/pwned", "pwned", 0644),
        symlink("../../../../../../..", "up"), file("up/evil", "pwned", 0644)).bytes();
    FakeRegistry.TestImage img = FakeRegistry.image(hostile);
    reg.put("repo", "t", img);
    Puller.Result r = pullUnpacking("repo:t");
    assertEquals(img.configDigest(), r.imageId());
    assertEquals(List.of(), before.diff(hostOutsideRoot()), "the host changed");
    assertTrue(Files.isRegularFile(root.resolve(abs.substring(1)).resolve("pwned")), "clamped into the root");
    assertTrue(Files.isRegularFile(root.resolve("evil")), "clamped into the root");
    assertTrue(store.fsck().run().ok());
  }

  @Test
  void benignLayersUnpackAsTheyArrive() throws Exception {
    byte[] lower = TarFixture.of(dir("etc", 0755), file("etc/os-release", "ID=test\n", 0644)).bytes();
    byte[] upper = TarFixture.of(dir("etc", 0755), file("etc/motd", "hello\n", 0644)).bytes();
    FakeRegistry.TestImage img = FakeRegistry.image(lower, upper);
    reg.put("repo", "t", img);
    assertEquals(img.configDigest(), pullUnpacking("repo:t").imageId());
    assertEquals("hello\n", Files.readString(root.resolve("etc/motd")));
    assertEquals(2, store.images().layers(img.configDigest()).size());
  }
}
