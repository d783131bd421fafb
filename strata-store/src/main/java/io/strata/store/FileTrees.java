package io.strata.store;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** Whole-tree operations on unpacked layers, which may hold mode-0 directories. */
public final class FileTrees {
  private FileTrees() {}

  /** Apparent size of a tree, each inode counted once (as {@code du --apparent-size} does); unreadable parts are skipped. */
  public static long apparentSize(Path dir) {
    java.util.Set<Object> inodes = new java.util.HashSet<>();
    long[] total = {0};
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
          if (a.isRegularFile() && inodes.add(a.fileKey())) total[0] += a.size();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("usage of " + dir, e);
    }
    return total[0];
  }

  /**
   * Removes a file, symlink or directory tree without following any symlink; directories are made
   * writable first so a non-root caller can empty them. A missing path is not an error. Returns the
   * bytes of the regular files removed (each inode once).
   */
  public static long deleteTree(Path path) throws IOException {
    BasicFileAttributes top;
    try {
      top = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return 0;
    }
    if (!top.isDirectory()) {
      Files.delete(path);
      return top.isRegularFile() ? top.size() : 0;
    }
    java.util.Set<Object> inodes = new java.util.HashSet<>();
    long[] freed = {0};
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
        if (!Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) throw e;
        // a directory we could not open: make it readable, then walk it again
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        freed[0] += deleteTree(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.delete(f);
        if (attrs.isRegularFile() && inodes.add(attrs.fileKey())) freed[0] += attrs.size();
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) throw e;
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
    return freed[0];
  }
}
