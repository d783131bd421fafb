package io.strata.runtime;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.layer.Xattrs;
import io.strata.sys.DirFd;
import io.strata.sys.ErrnoException;
import io.strata.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a host tree (the user's own, trusted) into a directory of a container's root that may be
 * changing meanwhile. Every entry is made as one name inside a directory held open by descriptor, and
 * every directory is entered by opening that one name without following a symlink, so a directory
 * the container swaps for a link never leads a write out of its root. As {@code docker cp}: an
 * existing directory is merged into, any other existing entry replaced, and a directory is never
 * replaced by a non-directory or the other way round.
 */
final class CopyIn {
  private record Inode(Object dev, Object ino) {}

  private record Made(List<String> dirs, String name) {}

  private final DirFd top;
  private final boolean privileged = Syscalls.geteuid() == 0;
  private final boolean keepOwner;
  private final Map<Inode, Made> linked = new HashMap<>(); // first copy of each multiply-linked file

  /** {@code keepOwner}: the source's uid and gid ({@code cp -a}); else root's, as Docker's {@code cp} sets them. */
  CopyIn(DirFd top, boolean keepOwner) {
    this.top = top;
    this.keepOwner = keepOwner;
  }

  /** Copies {@code source} into the destination directory as {@code name}. */
  void entry(Path source, String name) throws IOException {
    copy(source, top, List.of(), name);
  }

  /** Copies the children of the directory {@code source} into the destination directory. */
  void children(Path source) throws IOException {
    for (Path child : sorted(source)) copy(child, top, List.of(), child.getFileName().toString());
  }

  private void copy(Path src, DirFd into, List<String> dirs, String name) throws IOException {
    Map<String, Object> a = Files.readAttributes(src, "unix:mode,uid,gid,rdev,ino,dev,nlink,lastModifiedTime,lastAccessTime",
        LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    Path dest = into.entry(name);
    BasicFileAttributes existing = lstat(dest);
    String shown = into.shown().resolve(name).toString();
    if ((mode & 0170000) == 0040000) {
      if (existing != null && !existing.isDirectory()) {
        throw new FailedPreconditionException("cannot overwrite non-directory " + shown + " with directory " + src);
      }
      if (existing == null) Files.createDirectory(dest);
      try (DirFd dir = into.child(name)) {
        List<String> below = append(dirs, name);
        for (Path child : sorted(src)) copy(child, dir, below, child.getFileName().toString());
        setMetadata(dir.path(), a, true); // the directory itself, through its descriptor, after its contents
      }
      return;
    }
    if (existing != null) {
      if (existing.isDirectory()) {
        throw new FailedPreconditionException("cannot overwrite directory " + shown + " with non-directory " + src);
      }
      Files.delete(dest); // unlinks the name itself, whatever it is
    }
    if ((Integer) a.get("nlink") > 1 && linkToFirstCopy(new Inode(a.get("dev"), a.get("ino")), dest, dirs, name)) return;
    switch (mode & 0170000) {
      case 0100000 -> {
        try (InputStream in = Files.newInputStream(src, LinkOption.NOFOLLOW_LINKS);
             OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                 LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(out);
        }
      }
      case 0120000 -> Syscalls.symlink(Files.readSymbolicLink(src).toString(), dest);
      case 0010000 -> Syscalls.mknod(dest, Syscalls.S_IFIFO, mode, 0, 0);
      case 0020000, 0060000 -> {
        if (!privileged) return;
        long rdev = (Long) a.get("rdev");
        Syscalls.mknod(dest, (mode & 0170000) == 0020000 ? Syscalls.S_IFCHR : Syscalls.S_IFBLK, mode,
            (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)), (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
      }
      default -> {
        return; // a socket: nothing to copy, as tar
      }
    }
    setMetadata(dest, a, false);
    for (Map.Entry<String, byte[]> x : Xattrs.read(src).entrySet()) setXattr(dest, x.getKey(), x.getValue());
  }

  /** A second name of an inode already copied becomes a hardlink to the copy; false for the first. */
  private boolean linkToFirstCopy(Inode inode, Path dest, List<String> dirs, String name) throws IOException {
    Made first = linked.putIfAbsent(inode, new Made(dirs, name));
    if (first == null) return false;
    try (DirFd dir = top.beneath(String.join("/", first.dirs()))) {
      Files.createLink(dest, dir.entry(first.name()));
    }
    return true;
  }

  /**
   * Owner, mode and times. {@code throughFd} says {@code path} is a directory's own descriptor link
   * (followed to that very directory); otherwise it is a name whose final symlink is never followed.
   */
  private void setMetadata(Path path, Map<String, Object> a, boolean throughFd) throws IOException {
    int uid = keepOwner ? (Integer) a.get("uid") : 0;
    int gid = keepOwner ? (Integer) a.get("gid") : 0;
    int mode = (Integer) a.get("mode");
    Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
    Instant atime = ((FileTime) a.get("lastAccessTime")).toInstant();
    if (throughFd) {
      if (privileged) {
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", gid);
      }
      Files.setAttribute(path, "unix:mode", mode & 07777);
      Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class)
          .setTimes(FileTime.from(mtime), FileTime.from(atime), null);
      return;
    }
    if (privileged) Syscalls.lchown(path, uid, gid);
    if ((mode & 0170000) != 0120000) Syscalls.lchmod(path, mode);
    Syscalls.lutimes(path, atime, mtime);
  }

  private void setXattr(Path path, String key, byte[] value) throws ErrnoException {
    try {
      Syscalls.lsetxattr(path, key, value);
    } catch (ErrnoException e) {
      if (e.errno() != ErrnoException.ENOTSUP && !(e.errno() == ErrnoException.EPERM && !privileged)) throw e;
    }
  }

  private static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  private static List<Path> sorted(Path dir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    children.sort(null);
    return children;
  }

  private static List<String> append(List<String> list, String name) {
    List<String> out = new ArrayList<>(list);
    out.add(name);
    return out;
  }
}
