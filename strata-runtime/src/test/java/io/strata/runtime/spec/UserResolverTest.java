package io.strata.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserResolverTest {
  @TempDir Path tmp;
  Path rootfs;

  @BeforeEach
  void rootfs() throws IOException {
    rootfs = tmp.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc"));
    // a hostile passwd maps names that look like overflowing IDs to root (S30)
    Files.writeString(rootfs.resolve("etc/passwd"), """
        root:x:0:0:root:/root:/bin/sh
        app:x:1000:1000:app:/home/app:/bin/sh
        4294967295:x:0:0::/root:/bin/sh
        2147483648:x:0:0::/root:/bin/sh
        99999999999:x:0:0::/root:/bin/sh
        -1:x:0:0::/root:/bin/sh
        wrapped:x:4294967296:0::/root:/bin/sh
        """);
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:app,other\napp:x:1000:\n4294967296:x:0:\n");
  }

  @ParameterizedTest // S30, CVE-2024-40635
  @ValueSource(strings = {"4294967295", "2147483648:0", "99999999999", "0:4294967296", "-1", "1:-1", "+1",
      "app:4294967296", "00000000000000000004294967295"})
  void overflowingIdsAreRefusedNeverTakenForNames(String user) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(rootfs, user));
    assertTrue(e.getMessage().startsWith("invalid user " + user + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void anEntryWithAnOutOfRangeIdIsUnusableNotRoot() {
    assertEquals("unable to find user wrapped: no matching entries in passwd file",
        assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(rootfs, "wrapped")).getMessage());
  }

  @Test
  void namesIdsAndGroupsResolveAsRuncDoes() {
    assertEquals(new ResolvedUser(0, 0, List.of(), "/root"), UserResolver.resolve(rootfs, ""));
    assertEquals(new ResolvedUser(1000, 1000, List.of(50L), "/home/app"), UserResolver.resolve(rootfs, "app"));
    assertEquals(new ResolvedUser(1000, 1000, List.of(50L), "/home/app"), UserResolver.resolve(rootfs, "1000"));
    // a named group replaces the primary one and drops the implicit supplementary groups
    assertEquals(new ResolvedUser(1000, 50, List.of(), "/home/app"), UserResolver.resolve(rootfs, "app:staff"));
    assertEquals(new ResolvedUser(1000, 7, List.of(), "/home/app"), UserResolver.resolve(rootfs, "app:7"));
    assertEquals(new ResolvedUser(1234, 0, List.of(), "/"), UserResolver.resolve(rootfs, "1234"));
    assertEquals(new ResolvedUser(2147483647, 7, List.of(), "/"), UserResolver.resolve(rootfs, "2147483647:7"));
    assertEquals(new ResolvedUser(0, 1000, List.of(), "/root"), UserResolver.resolve(rootfs, ":1000"));
  }

  @Test
  void unknownNamesAreDockersErrors() {
    assertEquals("unable to find user nobody: no matching entries in passwd file",
        assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(rootfs, "nobody")).getMessage());
    assertEquals("unable to find group wheel: no matching entries in group file",
        assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(rootfs, "app:wheel")).getMessage());
  }

  @Test
  void withoutPasswdOrGroupNumericUsersStillResolve() throws IOException {
    Path bare = Files.createDirectories(tmp.resolve("bare"));
    assertEquals(new ResolvedUser(0, 0, List.of(), "/"), UserResolver.resolve(bare, ""));
    assertEquals(new ResolvedUser(1000, 1000, List.of(), "/"), UserResolver.resolve(bare, "1000:1000"));
    assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(bare, "app"));
  }

  /** A host directory whose passwd maps "evil" to root: what a hostile image's symlinks aim at. */
  private Path hostEtc() throws IOException {
    Path host = Files.createDirectories(tmp.resolve("host-etc"));
    Files.writeString(host.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
    Files.writeString(host.resolve("group"), "evil:x:0:\n");
    return host;
  }

  @Test
  void anAbsoluteSymlinkedEtcResolvesInsideTheRoot() throws IOException {
    Path r = Files.createDirectories(tmp.resolve("r1"));
    Files.createSymbolicLink(r.resolve("etc"), hostEtc()); // inside the root this names <r1>/tmp/.../host-etc
    assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(r, "evil"));
    assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(r, "0:evil"));
  }

  @Test
  void symlinkedPasswdFilesResolveInsideTheRoot() throws IOException {
    Path host = hostEtc();
    Path r = Files.createDirectories(tmp.resolve("r2/etc"));
    Files.createSymbolicLink(r.resolve("passwd"), host.resolve("passwd"));
    // relative and climbing: .. stops at the root
    Files.createSymbolicLink(r.resolve("group"), Path.of("../../../../../../../../..").resolve(host.toString().substring(1)).resolve("group"));
    Path root = r.getParent();
    assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(root, "evil"));
    assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(root, "0:evil"));
  }

  @Test
  void aSymlinkInsideTheRootIsFollowed() throws IOException {
    Path r = Files.createDirectories(tmp.resolve("r3/real-etc"));
    Files.writeString(r.resolve("passwd"), "svc:x:42:43::/srv:/bin/sh\n");
    Files.createSymbolicLink(r.resolveSibling("etc"), Path.of("/real-etc"));
    assertEquals(new ResolvedUser(42, 43, List.of(), "/srv"), UserResolver.resolve(r.getParent(), "svc"));
  }

  @Test
  void aSymlinkLoopIsAnErrorNotAHang() throws IOException {
    Path r = Files.createDirectories(tmp.resolve("r4"));
    Files.createSymbolicLink(r.resolve("etc"), Path.of("/etc"));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(r, "app"));
    assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
  }
}
