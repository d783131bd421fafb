package io.strata.runtime;

import io.strata.layer.WhiteoutMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Docker's init layer: the mount points runc needs (/proc, /sys, /dev, the bind-mounted /etc
 * files) in a committed snapshot between the image and each container's writable layer, so they
 * never show in {@code diff} or end up in a {@code commit}. One per image, shared by its containers.
 * A path the image already has, or one under a symlink, is left alone: runc resolves mount
 * targets inside the root itself. {@code /etc/mtab} is Docker's symlink to {@code /proc/mounts},
 * over whatever the image has there (moby's initlayer.Setup).
 */
final class InitLayer {
  private static final List<String> DIRS = List.of("dev", "dev/pts", "dev/shm", "proc", "sys", "etc");
  private static final List<String> FILES = List.of("etc/hosts", "etc/hostname", "etc/resolv.conf");
  private static final String MTAB = "etc/mtab";
  /** Part of the key: a store's init layers made before /etc/mtab are not reused (unused ones go at the next prune). */
  private static final String VERSION = "2-";

  private InitLayer() {}

  static String key(String parent) {
    return "init-" + VERSION + (parent == null ? "scratch" : parent);
  }

  /**
   * The init layer of build steps holds only the /etc files: as with BuildKit, the /dev, /proc and
   * /sys mount points runc creates for a RUN belong to that step's layer.
   */
  static String buildKey(String parent) {
    return "init-build-" + (parent == null ? "scratch" : parent);
  }

  static void fill(Path dir, WhiteoutMode unusedMode, List<Path> unusedLowers) {
    fill(dir, DIRS);
    mtab(dir);
  }

  static void fillForBuild(Path dir, WhiteoutMode unusedMode, List<Path> unusedLowers) {
    fill(dir, List.of("etc"));
  }

  private static void fill(Path dir, List<String> dirs) {
    try {
      for (String d : dirs) {
        Path p = dir.resolve(d);
        if (parentIsDir(dir, p) && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(p);
      }
      for (String f : FILES) {
        Path p = dir.resolve(f);
        if (parentIsDir(dir, p) && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) Files.createFile(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("init layer", e);
    }
  }

  /** The native driver's {@code dir} is a copy of the image: its /etc/mtab is replaced unless a directory, as Docker's unlink does. */
  private static void mtab(Path dir) {
    Path p = dir.resolve(MTAB);
    if (!parentIsDir(dir, p) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return;
    try {
      Files.deleteIfExists(p);
      Files.createSymbolicLink(p, Path.of("/proc/mounts"));
    } catch (IOException e) {
      throw new UncheckedIOException("init layer", e);
    }
  }

  /** Every ancestor below {@code root} is a real directory (no symlink on the way). */
  private static boolean parentIsDir(Path root, Path p) {
    for (Path a = p.getParent(); a != null && !a.equals(root); a = a.getParent()) {
      if (!Files.isDirectory(a, LinkOption.NOFOLLOW_LINKS)) return false;
    }
    return true;
  }
}
