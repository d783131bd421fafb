package io.strata.snapshot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The lstat of one path, compared the way a differ needs (type, mode, owner, size, mtime, device). */
record FsEntry(int mode, int uid, int gid, long size, FileTime mtime, long rdev) {
  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFCHR = 0020000;
  static final int S_IFLNK = 0120000;

  /** lstat, or null when nothing is there. */
  static FsEntry of(Path p) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,rdev", LinkOption.NOFOLLOW_LINKS);
      return new FsEntry((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
          (FileTime) a.get("lastModifiedTime"), (Long) a.get("rdev"));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  boolean isDir() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  /** overlayfs' whiteout: a character device 0/0. */
  boolean isWhiteout() {
    return (mode & S_IFMT) == S_IFCHR && rdev == 0;
  }

  int type() {
    return mode & S_IFMT;
  }

  /** Same owner and permissions (and type). */
  boolean sameMeta(FsEntry o) {
    return mode == o.mode && uid == o.uid && gid == o.gid;
  }

  /** Same as far as a file's content can be told without reading it (moby's naive differ does the same). */
  boolean sameFile(FsEntry o, Path a, Path b) throws IOException {
    if (!sameMeta(o) || size != o.size || rdev != o.rdev || !mtime.equals(o.mtime)) return false;
    return type() != S_IFLNK || Objects.equals(Files.readSymbolicLink(a), Files.readSymbolicLink(b));
  }

  /** Children's names, sorted; empty for a missing directory. */
  static List<String> names(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(p -> names.add(p.getFileName().toString()));
    } catch (NoSuchFileException e) {
      return names;
    }
    names.sort(null);
    return names;
  }
}
