package io.strata.testkit;

import static io.strata.testkit.TarFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarFixtureTest {

  @Test
  void commonsCompressReadsWhatTheFixtureWrites() throws IOException {
    String longName = "d/" + "n".repeat(150);
    byte[] tar = TarFixture.of(
            dir("etc", 0755),
            file("etc/hosts", "127.0.0.1 localhost\n", 0644).withUid(7).withGid(8).withMtime(1234),
            symlink("/etc", "localetc"),
            hardlink("etc/hosts", "hosts2"),
            file(longName, "x", 0600).withXattr("user.k", "v"),
            charDev("null", 1, 3, 0666),
            whiteout("a/b"),
            opaque("c"))
        .bytes();
    assertEquals(0, tar.length % 512);
    try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
      TarArchiveEntry e = in.getNextEntry();
      assertEquals("etc/", e.getName());
      assertTrue(e.isDirectory());
      e = in.getNextEntry();
      assertEquals("etc/hosts", e.getName());
      assertEquals(7, e.getLongUserId());
      assertEquals(8, e.getLongGroupId());
      assertEquals(1234, e.getModTime().getTime() / 1000);
      assertEquals("127.0.0.1 localhost\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      e = in.getNextEntry();
      assertTrue(e.isSymbolicLink());
      assertEquals("/etc", e.getLinkName());
      e = in.getNextEntry();
      assertTrue(e.isLink());
      e = in.getNextEntry();
      assertEquals(longName, e.getName());
      assertEquals("v", e.getExtraPaxHeaders().get("SCHILY.xattr.user.k"));
      e = in.getNextEntry();
      assertTrue(e.isCharacterDevice());
      assertEquals(3, e.getDevMinor());
      assertEquals("a/.wh.b", in.getNextEntry().getName());
      assertEquals("c/.wh..wh..opq", in.getNextEntry().getName());
      assertNull(in.getNextEntry());
    }
  }

  @Test
  void snapshotSeesTypesModesAndContentAndDiffs(@TempDir Path tmp) throws IOException {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Files.writeString(a.resolve("f"), "hello");
    Files.setPosixFilePermissions(a.resolve("f"), PosixFilePermissions.fromString("rw-r-----"));
    Files.createSymbolicLink(a.resolve("l"), Path.of("../nowhere"));
    Files.createDirectories(a.resolve("d"));
    TreeSnapshot s = TreeSnapshot.of(a);
    assertEquals(java.util.List.of("d", "f", "l"), java.util.List.copyOf(s.entries().keySet()));
    TreeSnapshot.TreeEntry f = s.entries().get("f");
    assertEquals(TreeSnapshot.Type.FILE, f.type());
    assertEquals(0640, f.mode());
    assertEquals(5, f.size());
    assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", f.sha256());
    assertEquals("../nowhere", s.entries().get("l").linkTarget());
    assertTrue(s.diff(TreeSnapshot.of(a)).isEmpty());

    Files.writeString(a.resolve("f"), "hellO");
    Files.delete(a.resolve("d"));
    var diff = s.diff(TreeSnapshot.of(a));
    assertEquals(2, diff.size(), diff.toString());
    assertTrue(diff.get(0).startsWith("d: only in this"), diff.toString());
    assertTrue(diff.get(1).startsWith("f: "), diff.toString());
  }
}
