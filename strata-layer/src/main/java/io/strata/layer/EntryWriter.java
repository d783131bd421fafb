package io.strata.layer;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.store.FileTrees;
import io.strata.sys.ErrnoException;
import io.strata.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * Creates one tar entry at a path already resolved inside the root, then sets its metadata.
 * Metadata calls never follow a final symlink (lchown, fchmodat with AT_SYMLINK_NOFOLLOW,
 * utimensat with AT_SYMLINK_NOFOLLOW): a path swapped for a symlink after creation is not
 * followed out of the root (S6 CVE-2021-32760, S7 CVE-2025-47290).
 */
final class EntryWriter {
  private final ApplyOptions options;

  EntryWriter(ApplyOptions options) {
    this.options = options;
  }

  /**
   * Makes {@code path} hold the entry. Returns false when the entry was skipped (a device when
   * unprivileged). {@code linkSource} is the resolved hardlink target, null for other types.
   */
  boolean create(TarHeader h, Path path, Path linkSource, InputStream body) throws IOException {
    BasicFileAttributes existing = RootPath.attrs(path);
    if (existing != null && !(existing.isDirectory() && h.isDir())) {
      if (h.type() == TarHeader.Type.HARDLINK && path.equals(linkSource)) return true;
      delete(path);
    }
    switch (h.type()) {
      case DIR -> {
        if (existing == null || !existing.isDirectory()) Files.createDirectory(path);
      }
      case FILE -> {
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          body.transferTo(out);
        }
      }
      case SYMLINK -> Syscalls.symlink(h.linkName(), path);
      case HARDLINK -> Files.createLink(path, linkSource);
      case FIFO -> Syscalls.mknod(path, Syscalls.S_IFIFO, h.mode(), 0, 0);
      case CHAR, BLOCK -> {
        if (!options.privileged()) return false;
        int type = h.type() == TarHeader.Type.CHAR ? Syscalls.S_IFCHR : Syscalls.S_IFBLK;
        Syscalls.mknod(path, type, h.mode(), h.devMajor(), h.devMinor());
      }
    }
    return true;
  }

  /**
   * Owner, xattrs, mode and (for non-directories) times, in that order: chown clears setuid bits
   * and file capabilities, so it goes first. A hardlink's header sets its shared inode, as Docker
   * (moby's createTarFile) and containerd apply it; a link to a symlink leaves the symlink alone.
   */
  void setMetadata(TarHeader h, Path path) throws IOException {
    if (h.type() == TarHeader.Type.HARDLINK) { // Docker (moby's createTarFile) and containerd: the header sets the shared inode's
      BasicFileAttributes a = RootPath.attrs(path);
      if (a == null || a.isSymbolicLink()) return;
    }
    if (options.privileged()) {
      Syscalls.lchown(path, h.uid(), h.gid());
    }
    setXattrs(h, path);
    if (h.type() != TarHeader.Type.SYMLINK) {
      Syscalls.lchmod(path, h.mode());
    }
    if (!h.isDir()) {
      setTimes(path, h);
    }
  }

  static void setTimes(Path path, TarHeader h) throws IOException {
    Syscalls.lutimes(path, h.mtime(), h.mtime());
  }

  private void setXattrs(TarHeader h, Path path) throws IOException {
    for (Map.Entry<String, byte[]> x : h.xattrs().entrySet()) {
      String key = x.getKey();
      if (isOverlayXattr(key)) continue; // S13: never let a layer smuggle overlayfs metadata
      try {
        Syscalls.lsetxattr(path, key, x.getValue());
      } catch (ErrnoException e) {
        boolean tolerable = e.errno() == ErrnoException.ENOTSUP
            || (e.errno() == ErrnoException.EPERM && !options.privileged());
        if (!tolerable) {
          throw new InvalidArgumentException("layer entry " + Names.quote(h.name()) + ": set xattr "
              + Names.quote(key) + ": " + e.getReason(), e);
        }
      }
    }
  }

  static boolean isOverlayXattr(String key) {
    return key.startsWith("trusted.overlay.") || key.startsWith("user.overlay.");
  }

  /** Removes a file, link or whole directory tree without following any symlink. */
  static void delete(Path path) throws IOException {
    FileTrees.deleteTree(path);
  }
}
