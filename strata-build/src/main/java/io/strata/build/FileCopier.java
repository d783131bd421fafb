package io.strata.build;

import io.strata.sys.ErrnoException;
import io.strata.sys.Syscalls;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * COPY's file work inside a mounted step root: a file to a file, a directory's contents into a
 * directory, symlinks as themselves; then the owner ({@code --chown}, else root for context
 * files, the source's own for {@code --from}) and {@code --chmod}. {@code skip} drops ignored paths.
 */
final class FileCopier {
  record Owner(long uid, long gid) {}

  private final Owner owner; // null: keep the source's
  private final Integer chmod;
  private final Predicate<Path> skip;

  FileCopier(Owner owner, Integer chmod, Predicate<Path> skip) {
    this.owner = owner;
    this.chmod = chmod;
    this.skip = skip;
  }

  /**
   * Copies {@code src} to {@code dest} (a path already resolved inside the root): directories are
   * made first, in tree order, then the files are copied in parallel.
   */
  void copy(Path src, Path dest) throws IOException {
    List<Path[]> files = new ArrayList<>();
    plan(src, dest, files);
    try {
      files.parallelStream().forEach(f -> {
        try {
          copyFile(f[0], f[1]);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void plan(Path src, Path dest, List<Path[]> files) throws IOException {
    if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
      boolean created = !Files.exists(dest, LinkOption.NOFOLLOW_LINKS);
      Files.createDirectories(dest);
      if (created) {
        Files.setPosixFilePermissions(dest, Files.getPosixFilePermissions(src, LinkOption.NOFOLLOW_LINKS));
        finish(src, dest);
      }
      for (Path child : children(src)) {
        if (!skip.test(child)) plan(child, dest.resolve(child.getFileName().toString()), files);
      }
      return;
    }
    Files.createDirectories(dest.getParent());
    if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("cannot copy file " + src.getFileName() + " over directory " + dest);
    }
    files.add(new Path[] {src, dest});
  }

  private void copyFile(Path src, Path dest) throws IOException {
    Files.copy(src, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    finish(src, dest);
  }

  private void finish(Path src, Path dest) throws IOException {
    if (owner != null) {
      Syscalls.lchown(dest, owner.uid(), owner.gid());
    } else {
      var a = Files.readAttributes(src, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
      Syscalls.lchown(dest, (Integer) a.get("uid"), (Integer) a.get("gid"));
    }
    if (chmod != null && !Files.isSymbolicLink(dest)) {
      try {
        Syscalls.lchmod(dest, chmod);
      } catch (ErrnoException e) {
        if (e.errno() != ErrnoException.ENOTSUP) throw e;
      }
    }
  }

  private static List<Path> children(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    }
    out.sort(null);
    return out;
  }
}
