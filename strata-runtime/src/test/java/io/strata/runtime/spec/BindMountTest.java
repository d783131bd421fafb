package io.strata.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindMountTest {
  @TempDir Path tmp;

  @Test
  void parsesDockersSyntax() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("data"));
    assertEquals(new BindMount(src, "/data", false), BindMount.parse(src + ":/data"));
    assertEquals(new BindMount(src, "/data", true), BindMount.parse(src + ":/data/./:ro"));
    assertEquals(new BindMount(src, "/a/b", false), BindMount.parse(src + "/../data:/a//b:rw"));
  }

  @Test
  void refusesWhatItCannotMount() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("data"));
    assertEquals("named volumes are not supported: named", message("named:/data"));
    assertTrue(message(src + ":/a/../../etc").contains("contains .."));
    assertTrue(message(src + ":data").contains("not an absolute path"));
    assertTrue(message(src + ":/").contains("destination can't be '/'"));
    assertTrue(message(src + ":/data:rx").contains("invalid mode: rx"));
    assertTrue(message("/data").contains("anonymous volumes are not supported"));
    assertTrue(message(src + ":/a:ro:x").contains("invalid volume specification"));
    String missing = tmp.resolve("missing").toString();
    assertTrue(message(missing + ":/x").endsWith("bind source path does not exist: " + missing));
  }

  @Test
  void networkModes() {
    assertEquals(NetworkMode.NONE, NetworkMode.parse("none"));
    assertEquals(NetworkMode.HOST, NetworkMode.parse("host"));
    assertEquals(NetworkMode.BRIDGE, NetworkMode.parse("bridge"));
    assertEquals(NetworkMode.BRIDGE, NetworkMode.parse("my-net.1"), "a user network's name");
    assertEquals("invalid --network a b", assertThrows(InvalidArgumentException.class, () -> NetworkMode.parse("a b")).getMessage());
    assertEquals("invalid --network container:x: sharing another container's network is not supported",
        assertThrows(InvalidArgumentException.class, () -> NetworkMode.parse("container:x")).getMessage());
  }

  private static String message(String spec) {
    return assertThrows(InvalidArgumentException.class, () -> BindMount.parse(spec)).getMessage();
  }
}
