package io.strata.snapshot;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.opaque;
import static io.strata.testkit.TarFixture.whiteout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.layer.ApplyOptions;
import io.strata.layer.LayerApplier;
import io.strata.layer.WhiteoutMode;
import io.strata.store.Store;
import io.strata.sys.Syscalls;
import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotterTest {
  @TempDir Path tmp;
  private Store store;
  private final List<Path> mounted = new ArrayList<>();

  static final TarFixture BASE = TarFixture.of(
      dir("a/", 0755), file("a/x", "lower x", 0644), file("a/y", "lower y", 0644),
      dir("b/", 0755), file("b/z", "lower z", 0644), dir("c/", 0755), file("etc.conf", "v1", 0644));
  static final TarFixture TOP = TarFixture.of(whiteout("a/x"), opaque("b"), file("b/w", "new w", 0644),
      file("c/new", "new", 0644));

  @BeforeEach
  void open() {
    HostRequirements.root();
    store = Store.open(tmp.resolve("store"));
  }

  @AfterEach
  void close() {
    for (Path p : mounted.reversed()) Mounter.unmount(p);
    if (store != null) store.close();
  }

  private Snapshotter snapshotter(String driver) {
    return Snapshotters.open(store, driver);
  }

  private static LayerFiller tar(TarFixture t) {
    return (dir, mode, lowers) -> new LayerApplier().apply(t.stream(), dir,
        ApplyOptions.defaults().withWhiteouts(mode).withLowerDirs(lowers));
  }

  private Path mount(List<Mount> mounts, String name) throws IOException {
    Path target = Files.createDirectories(tmp.resolve("mnt").resolve(name));
    Mounter.mount(mounts, target);
    mounted.add(target);
    return target;
  }

  @Test
  void overlayUnpackWritesKernelWhiteouts() throws IOException {
    Snapshotter s = snapshotter("overlay");
    s.unpack("l1", null, tar(BASE));
    SnapshotInfo top = s.unpack("l2", "l1", tar(TOP));
    Map<String, Object> x = Files.readAttributes(top.fs().resolve("a/x"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    assertEquals(0020000, (Integer) x.get("mode") & 0170000, "a/x is a character device");
    assertEquals(0L, x.get("rdev"));
    assertEquals("y", new String(Syscalls.lgetxattr(top.fs().resolve("b"), "trusted.overlay.opaque")));
    assertFalse(Files.exists(top.fs().resolve("a/y")), "a layer directory holds only that layer's files");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlay", "native"})
  void mergedViewAppliesWhiteoutsAndOpaqueDirs(String driver) throws IOException {
    Snapshotter s = snapshotter(driver);
    s.unpack("l1", null, tar(BASE));
    s.unpack("l2", "l1", tar(TOP));
    Path root = mount(s.prepare("c1", "l2"), "c1");
    assertFalse(Files.exists(root.resolve("a/x")));
    assertEquals("lower y", Files.readString(root.resolve("a/y")));
    assertEquals(List.of("w"), FsEntry.names(root.resolve("b")));
    assertEquals("new", Files.readString(root.resolve("c/new")));
    // the merged view equals the layers flattened by the applier in delete mode
    Path flat = Files.createDirectory(tmp.resolve("flat"));
    for (TarFixture t : List.of(BASE, TOP)) new LayerApplier().apply(t.stream(), flat, ApplyOptions.defaults());
    assertEquals(TreeSnapshot.of(flat).entries(), TreeSnapshot.of(root).entries());
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlay", "native"})
  void firstWriteCopiesUpAndLeavesTheLayerAndOtherContainersAlone(String driver) throws IOException {
    Snapshotter s = snapshotter(driver);
    SnapshotInfo layer = s.unpack("l1", null, tar(BASE));
    Path a = mount(s.prepare("a", "l1"), "a");
    Path b = mount(s.prepare("b", "l1"), "b");
    Files.writeString(a.resolve("etc.conf"), "v2 from container a");
    Files.delete(a.resolve("a/y"));
    assertEquals("v2 from container a", Files.readString(a.resolve("etc.conf")));
    assertEquals("v1", Files.readString(layer.fs().resolve("etc.conf")), "the unpacked layer is never written");
    assertEquals("v1", Files.readString(b.resolve("etc.conf")), "another container of the image sees the original");
    assertTrue(Files.exists(b.resolve("a/y")));
    assertTrue(Files.exists(layer.fs().resolve("a/y")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlay", "native"})
  void diffAndLayerOfChanges(String driver) throws IOException {
    Snapshotter s = snapshotter(driver);
    s.unpack("l1", null, tar(BASE));
    Path root = mount(s.prepare("c", "l1"), "c");
    Files.writeString(root.resolve("etc.conf"), "changed");
    Files.delete(root.resolve("a/x"));
    Files.createDirectories(root.resolve("new/dir"));
    Files.writeString(root.resolve("new/dir/f"), "f");
    for (Path p : FsEntry.names(root.resolve("b")).stream().map(n -> root.resolve("b").resolve(n)).toList()) Files.delete(p);
    Files.delete(root.resolve("b"));
    Files.createDirectory(root.resolve("b"));
    Files.writeString(root.resolve("b/only"), "only");
    List<String> diff = s.changes("c").stream().map(Change::toString).toList();
    assertTrue(diff.containsAll(List.of("C /a", "D /a/x", "C /etc.conf", "A /new", "A /new/dir", "A /new/dir/f", "A /b/only")),
        diff.toString());
    assertTrue(diff.contains("D /b/z") || diff.contains("C /b") , diff.toString());
    // the changes as a layer, applied over the image, give the container's view
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    s.writeLayer("c", s.changes("c"), layer, io.strata.layer.WriteOptions.defaults());
    Path flat = Files.createDirectory(tmp.resolve("flat"));
    new LayerApplier().apply(BASE.stream(), flat, ApplyOptions.defaults());
    new LayerApplier().apply(new ByteArrayInputStream(layer.toByteArray()), flat, ApplyOptions.defaults());
    assertEquals(TreeSnapshot.of(root).entries(), TreeSnapshot.of(flat).entries());
  }

  @Test
  void overlayMountsAChainOfOneHundredAndFiftyLayers() throws IOException {
    Snapshotter s = snapshotter("overlay");
    String parent = null;
    for (int i = 0; i < 150; i++) {
      String key = "sha256:" + "%064x".formatted(i);
      s.unpack(key, parent, tar(TarFixture.of(file("f" + i, "layer " + i, 0644), file("top", "from " + i, 0644))));
      parent = key;
    }
    List<Mount> mounts = s.prepare("long", parent);
    assertTrue(String.join(",", mounts.getFirst().options()).length() > 4096, "longer than mount(2)'s one page");
    Path root = mount(mounts, "long");
    for (int i = 0; i < 150; i++) assertEquals("layer " + i, Files.readString(root.resolve("f" + i)));
    assertEquals("from 149", Files.readString(root.resolve("top")), "the topmost layer wins");
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlay", "native"})
  void gcRemovesUnpackedLayersNothingUsesButKeepsAContainersParents(String driver) throws IOException {
    Snapshotter s = snapshotter(driver);
    SnapshotInfo l1 = s.unpack("l1", null, tar(BASE));
    SnapshotInfo l2 = s.unpack("l2", "l1", tar(TOP));
    SnapshotInfo other = s.unpack("other", null, tar(TOP));
    s.prepare("c", "l2");
    store.gc().collect();
    assertTrue(Files.isDirectory(l1.dir()) && Files.isDirectory(l2.dir()), "a container's layers stay");
    assertFalse(Files.exists(other.dir()), "an unpacked layer no image or container uses goes");
    assertTrue(s.get("other").isEmpty());
    s.remove("c");
    store.gc().collect();
    assertTrue(s.get("l1").isEmpty() && s.get("l2").isEmpty());
    assertFalse(Files.exists(l1.dir()));
  }
}
