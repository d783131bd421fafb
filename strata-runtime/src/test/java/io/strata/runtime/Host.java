package io.strata.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import io.strata.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What container tests need from the machine: root, runc and a static busybox. Outside CI a missing
 * piece skips the test with the reason; in CI (CI=true) it fails, since nothing may be skipped there.
 */
final class Host {
  static final Path BUSYBOX = Path.of("/bin/busybox");

  private Host() {}

  static void requireContainers() {
    String missing = Syscalls.geteuid() != 0 ? "root (containers mount filesystems)"
        : !Files.isExecutable(Path.of("/usr/sbin/runc")) ? "runc (apt-get install runc)"
        : !Files.isExecutable(BUSYBOX) ? "a static busybox (apt-get install busybox-static)" : null;
    if (missing == null) return;
    if ("true".equals(System.getenv("CI"))) fail("container tests need " + missing);
    Assumptions.abort("needs " + missing);
  }
}
