package io.strata.snapshot;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.store.Store;
import io.strata.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the snapshotter for a store ({@code overlay} when the kernel has overlayfs and we are root,
 * else {@code native}; {@code --storage-driver} overrides) and enrols the snapshots of every driver
 * in the store's garbage collection.
 */
public final class Snapshotters {
  private Snapshotters() {}

  /** The snapshotter named {@code driver}, or the best one for this host when it is null or empty. */
  public static Snapshotter open(Store store, String driver) {
    Path root = store.root().resolve("snapshots");
    store.gc().addSweeper(new SnapshotSweeper(root));
    String name = driver == null || driver.isEmpty() ? detect() : driver;
    return switch (name) {
      case OverlaySnapshotter.DRIVER -> {
        String missing = overlayMissing();
        if (missing != null) {
          throw new FailedPreconditionException("storage driver overlay: " + missing + "; use --storage-driver native");
        }
        yield new OverlaySnapshotter(new SnapshotRepository(name, root, store.db()));
      }
      case NativeSnapshotter.DRIVER -> new NativeSnapshotter(new SnapshotRepository(name, root, store.db()));
      default -> throw new InvalidArgumentException("unknown storage driver " + name + " (overlay, native)");
    };
  }

  /** Enrols snapshot garbage collection only (for commands that never touch containers). */
  public static void enrolGc(Store store) {
    store.gc().addSweeper(new SnapshotSweeper(store.root().resolve("snapshots")));
  }

  static String detect() {
    return overlayMissing() == null ? OverlaySnapshotter.DRIVER : NativeSnapshotter.DRIVER;
  }

  /** Why overlay cannot be used here, or null. */
  static String overlayMissing() {
    if (Syscalls.geteuid() != 0) return "mounting overlayfs needs root";
    try {
      String fs = Files.readString(Path.of("/proc/filesystems"));
      if (!fs.contains("\toverlay\n") && !Files.isDirectory(Path.of("/sys/module/overlay"))
          && !Files.exists(Path.of("/lib/modules/" + System.getProperty("os.version") + "/kernel/fs/overlayfs"))) {
        return "the kernel has no overlayfs (not in /proc/filesystems)";
      }
    } catch (IOException e) {
      return "cannot read /proc/filesystems: " + e.getMessage();
    }
    return null;
  }
}
