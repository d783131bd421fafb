package io.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (root, runc, a static busybox). Outside CI a missing piece
 * skips the test and says why; in CI ({@code CI=true}) it fails: nothing may be skipped there.
 */
public final class HostRequirements {
  public static final Path BUSYBOX = Path.of("/bin/busybox");
  public static final Path RUNC = Path.of("/usr/sbin/runc");

  private HostRequirements() {}

  /** Root, for mounting. */
  public static void root() {
    if (!isRoot()) missing("root (the test mounts filesystems)");
  }

  /** Root, runc and busybox: what running containers takes. */
  public static void containers() {
    root();
    if (!Files.isExecutable(RUNC)) missing("runc (apt-get install runc)");
    if (!Files.isExecutable(BUSYBOX)) missing("a static busybox at /bin/busybox (apt-get install busybox-static)");
  }

  /** What running containers takes, and netavark with aardvark-dns and ip for their networks. */
  public static void networks() {
    containers();
    if (!Files.isExecutable(Path.of("/usr/lib/podman/netavark")) || !Files.isExecutable(Path.of("/usr/lib/podman/aardvark-dns"))) {
      missing("netavark and aardvark-dns (apt-get install netavark aardvark-dns)");
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) missing("ip (apt-get install iproute2)");
  }

  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0"); // effective uid
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void missing(String what) {
    if ("true".equals(System.getenv("CI"))) Assertions.fail("this test needs " + what);
    Assumptions.abort("needs " + what);
  }
}
