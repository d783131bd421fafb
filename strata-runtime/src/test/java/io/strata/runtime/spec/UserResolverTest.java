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
    rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
    rootfs = rootfs.getParent();
    // a hostile passwd maps names that look like overflowing IDs to root (S30)
    Files.writeString(rootfs.resolve("etc/passwd"), """
        root:x:0:0:root:/root:/bin/sh
        app:x:1000:1000:app:/home/app:/bin/sh
        4294967295:x:0:0::/root:/bin/sh
        2147483648:x:0:0::/root:/bin/sh
        99999999999:x:0:0::/root:/bin/sh
        """);
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:app\napp:x:1000:\n4294967296:x:0:\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"4294967295", "2147483648:0", "99999999999", "0:4294967296", "-1", "1:-1", "app:4294967296"})
  void overflowingIdsAreRefusedNeverRoot(String user) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(rootfs, user));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
  }

  @Test
  void namesIdsAndGroupsResolveAsRuncDoes() {
    assertEquals(new ResolvedUser(0, 0, List.of(), "/root"), UserResolver.resolve(rootfs, ""));
    assertEquals(new ResolvedUser(1000, 1000, List.of(50L), "/home/app"), UserResolver.resolve(rootfs, "app"));
    assertEquals(new ResolvedUser(1000, 50, List.of(), "/home/app"), UserResolver.resolve(rootfs, "app:staff"));
    assertEquals(new ResolvedUser(1234, 0, List.of(), "/"), UserResolver.resolve(rootfs, "1234"));
    assertEquals(new ResolvedUser(2147483647, 7, List.of(), "/"), UserResolver.resolve(rootfs, "2147483647:7"));
  }

  @Test
  void unknownNamesAreDockersErrors() {
    assertEquals("unable to find user nobody: no matching entries in passwd file",
        assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(rootfs, "nobody")).getMessage());
    assertEquals("unable to find group wheel: no matching entries in group file",
        assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(rootfs, "app:wheel")).getMessage());
  }

  @Test
  void aSymlinkedEtcIsResolvedInsideTheRootNotOnTheHost() throws IOException {
    Path host = Files.createDirectories(tmp.resolve("host-etc"));
    Files.writeString(host.resolve("passwd"), "evil:x:0:0::/:/bin/sh\n");
    Path r = Files.createDirectories(tmp.resolve("r2"));
    Files.createSymbolicLink(r.resolve("etc"), host); // absolute: means <rootfs>/tmp/.../host-etc inside
    assertThrows(InvalidArgumentException.class, () -> UserResolver.resolve(r, "evil"));
  }
}
