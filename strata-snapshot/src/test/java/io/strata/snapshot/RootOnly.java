package io.strata.snapshot;

import static org.junit.jupiter.api.Assertions.fail;

import io.strata.sys.Syscalls;
import org.junit.jupiter.api.Assumptions;

/** Mounting needs root: outside CI such tests skip and say why; in CI (CI=true) they fail instead. */
final class RootOnly {
  private RootOnly() {}

  static void require() {
    if (Syscalls.geteuid() == 0) return;
    if ("true".equals(System.getenv("CI"))) fail("this test mounts filesystems and must run as root in CI");
    Assumptions.abort("needs root to mount overlayfs and bind mounts");
  }
}
