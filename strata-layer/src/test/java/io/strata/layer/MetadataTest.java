package io.strata.layer;

import static io.strata.testkit.TarFixture.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strata.sys.Syscalls;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owners, modes, times and xattrs, and that none of them is ever set through a symlink (S6, S7). */
class MetadataTest {
  @TempDir Path tmp;
  Path root;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createDirectory(tmp.resolve("root"));
  }

  static void requireRoot() {
    boolean root = Syscalls.geteuid() == 0;
    if (!"true".equals(System.getenv("CI"))) assumeTrue(root, "needs root for chown and mknod");
    assertTrue(root, "CI runs these tests as root");
  }

  @Test
  void s7MetadataCallsDoNotFollowAPathSwappedForASymlink() throws Exception {
    requireRoot();
    Path victim = Files.writeString(tmp.resolve("victim"), "host");
    Files.setAttribute(victim, "unix:mode", 0400);
    Map<String, Object> before = Files.readAttributes(victim, "unix:mode,uid,gid,lastModifiedTime");
    // The state after an attacker swapped the freshly created file for a symlink to a host file.
    Path swapped = Files.createSymbolicLink(root.resolve("f"), victim);
    TarHeader h = new TarHeader(TarHeader.Type.FILE, "f", "", 0, 04777, 1234, 1234, Instant.EPOCH, 0, 0, Map.of());
    try {
      new EntryWriter(ApplyOptions.defaults()).setMetadata(h, swapped);
    } catch (java.io.IOException refused) {
      // fchmodat(AT_SYMLINK_NOFOLLOW) refuses a symlink: that is the point
    }
    assertEquals(before, Files.readAttributes(victim, "unix:mode,uid,gid,lastModifiedTime"));
  }

  @Test
  void ownersModesAndTimesAreApplied() throws Exception {
    requireRoot();
    TarFixture layer = TarFixture.of(
        file("suid", "x", 04755).withUid(1000).withGid(1000).withMtime(1_000_000_000),
        file("sgid", "x", 02710).withUid(0).withGid(50),
        dir("sticky", 01777).withUid(7).withGid(8).withMtime(1_234_567_890),
        file("sticky/inside", "x", 0600),
        symlink("suid", "link").withUid(33).withGid(34).withMtime(1_111_111_111),
        fifo("pipe", 0620).withUid(2).withGid(3));
    new LayerApplier().apply(layer.stream(), root, ApplyOptions.defaults());
    assertAttrs("suid", 0100000 | 04755, 1000, 1000);
    assertAttrs("sgid", 0100000 | 02710, 0, 50);
    assertAttrs("sticky", 0040000 | 01777, 7, 8);
    assertAttrs("link", 0120777, 33, 34);
    assertAttrs("pipe", 0010000 | 0620, 2, 3);
    assertEquals(1_000_000_000L, mtime("suid"));
    assertEquals(1_234_567_890L, mtime("sticky"), "directory mtime set after its contents");
    assertEquals(1_111_111_111L, mtime("link"), "symlink's own mtime");
  }

  @Test
  void unprivilegedApplyKeepsTheCurrentOwner() throws Exception {
    TarFixture layer = TarFixture.of(file("f", "x", 0640).withUid(4321).withGid(4321));
    new LayerApplier().apply(layer.stream(), root, ApplyOptions.defaults().withPrivileged(false));
    assertEquals(Syscalls.geteuid(), Files.getAttribute(root.resolve("f"), "unix:uid"));
    assertEquals(0100640, Files.getAttribute(root.resolve("f"), "unix:mode"));
  }

  @Test
  void binaryXattrValuesRoundTripThroughTarWriter() throws Exception {
    byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xc3, 0x28, 10, '=', ' '};
    TarFixture layer = TarFixture.of(file("f", "x", 0644).withXattr("user.blob", binary));
    new LayerApplier().apply(layer.stream(), root, ApplyOptions.defaults());
    assertArrayEquals(binary, Syscalls.lgetxattr(root.resolve("f"), "user.blob"));

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    new TarWriter().writeTree(root, tar, WriteOptions.defaults());
    Path again = Files.createDirectory(tmp.resolve("again"));
    new LayerApplier().apply(new java.io.ByteArrayInputStream(tar.toByteArray()), again, ApplyOptions.defaults());
    assertArrayEquals(binary, Syscalls.lgetxattr(again.resolve("f"), "user.blob"));
  }

  @Test
  void tarWriterClampsMtimes() throws Exception {
    TarFixture layer = TarFixture.of(file("new", "x", 0644).withMtime(2_000_000_000), file("old", "x", 0644).withMtime(1000));
    new LayerApplier().apply(layer.stream(), root, ApplyOptions.defaults());
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    new TarWriter().writeTree(root, tar, WriteOptions.defaults().withMtimeClamp(Instant.ofEpochSecond(1_500_000_000)));
    Path again = Files.createDirectory(tmp.resolve("again"));
    new LayerApplier().apply(new java.io.ByteArrayInputStream(tar.toByteArray()), again, ApplyOptions.defaults());
    assertEquals(1_500_000_000L, Files.getLastModifiedTime(again.resolve("new")).toInstant().getEpochSecond());
    assertEquals(1000L, Files.getLastModifiedTime(again.resolve("old")).toInstant().getEpochSecond());
  }

  private void assertAttrs(String name, int mode, int uid, int gid) throws Exception {
    Map<String, Object> a = Files.readAttributes(root.resolve(name), "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    assertEquals(Integer.toOctalString(mode), Integer.toOctalString((Integer) a.get("mode")), name + " mode");
    assertEquals(uid, a.get("uid"), name + " uid");
    assertEquals(gid, a.get("gid"), name + " gid");
  }

  private long mtime(String name) throws Exception {
    return Files.getLastModifiedTime(root.resolve(name), LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond();
  }
}
