package io.strata.layer;

import io.strata.sys.DirFd;
import io.strata.sys.ErrnoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a directory tree as a reproducible tar layer (as jib does): children sorted by the bytes
 * of their names, each directory before its contents, no entry for the root itself, names without
 * a leading {@code ./}, owners/modes/mtimes as on disk (mtimes optionally clamped), symlink
 * targets verbatim, a second path to an inode as a hardlink to the first, devices and FIFOs.
 * Sockets cannot be represented in tar and are skipped.
 */
public final class TarWriter {
  private record InodeKey(Object dev, Object ino) {}

  /** Writes the tar of {@code root} to {@code out} (not closed; the end-of-archive blocks are written). */
  public void writeTree(Path root, OutputStream out, WriteOptions options) {
    try {
      Session tar = open(out, options);
      tar.addChildren(root, "");
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("write tar of " + root, e);
    }
  }

  /** A tar built entry by entry, for layers that are not a whole tree (a container's changes). */
  public static Session open(OutputStream out, WriteOptions options) {
    return new Session(new TarOutput(out), options);
  }

  /** One tar being written; hardlinks are detected across everything added to it. */
  public static final class Session {
    private final TarOutput tar;
    private final WriteOptions options;
    private final Map<InodeKey, String> firstPaths = new HashMap<>();

    private Session(TarOutput tar, WriteOptions options) {
      this.tar = tar;
      this.options = options;
    }

    /** Adds {@code file} as the entry {@code name} (no leading slash); a directory's contents too when {@code recursive}. */
    public void add(String name, Path file, boolean recursive) throws IOException {
      Map<String, Object> a;
      try {
        a = Files.readAttributes(file, "unix:mode,uid,gid,size,rdev,ino,dev,nlink,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return; // removed while the tree was walked (a running container): not in the tar, as moby does
      }
      int mode = (Integer) a.get("mode");
      TarHeader.Type type = typeOf(mode);
      if (type == null) return; // socket
      Instant mtime = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant();
      mtime = Instant.ofEpochSecond(mtime.getEpochSecond());
      if (options.mtimeClamp() != null && mtime.isAfter(options.mtimeClamp())) mtime = options.mtimeClamp();
      String link = "";
      long size = 0;
      if (type != TarHeader.Type.DIR && (Integer) a.get("nlink") > 1) {
        InodeKey key = new InodeKey(a.get("dev"), a.get("ino"));
        String first = firstPaths.putIfAbsent(key, name);
        if (first != null) {
          type = TarHeader.Type.HARDLINK;
          link = first;
        }
      }
      switch (type) {
        case SYMLINK -> link = Files.readSymbolicLink(file).toString();
        case FILE -> size = (Long) a.get("size");
        default -> {}
      }
      long rdev = (Long) a.get("rdev");
      boolean device = type == TarHeader.Type.CHAR || type == TarHeader.Type.BLOCK;
      TarHeader h = new TarHeader(type, type == TarHeader.Type.DIR ? name + "/" : name, link, size, mode & 07777,
          (Integer) a.get("uid"), (Integer) a.get("gid"), mtime,
          device ? major(rdev) : 0, device ? minor(rdev) : 0,
          options.xattrs() && type != TarHeader.Type.HARDLINK ? Xattrs.read(file) : Map.of());
      tar.putHeader(h);
      if (type == TarHeader.Type.FILE) {
        writeBody(file, size, tar.body());
        tar.pad(size);
      }
      if (type == TarHeader.Type.DIR && recursive) {
        // Into the directory through its descriptor: if it was swapped for a symlink since the lstat
        // above, the open fails and nothing behind the link is read (CVE-2018-15664 class).
        DirFd dir;
        try {
          dir = DirFd.openNoFollow(file);
        } catch (ErrnoException e) {
          if (e.errno() == ErrnoException.ENOENT || e.errno() == ErrnoException.ELOOP || e.errno() == ErrnoException.ENOTDIR) return;
          throw e;
        }
        try (dir) {
          addChildren(dir.path(), name + "/");
        }
      }
    }

    /**
     * Adds every child of {@code dir}, sorted, under {@code prefix} (empty or ending in a slash). Each
     * child is named through {@code dir} and each directory below is entered through its own
     * descriptor, so no path is ever resolved twice.
     */
    public void addChildren(Path dir, String prefix) throws IOException {
      for (Path child : sortedChildren(dir)) add(prefix + child.getFileName().toString(), child, true);
    }

    /** An OCI whiteout deleting {@code name} (a path without leading slash) from the layers below. */
    public void whiteout(String name) throws IOException {
      int slash = name.lastIndexOf('/');
      marker(name.substring(0, slash + 1) + WhiteoutHandler.PREFIX + name.substring(slash + 1));
    }

    /** An OCI opaque marker: the directory {@code dir} hides everything the layers below put in it. */
    public void opaque(String dir) throws IOException {
      marker((dir.isEmpty() ? "" : dir + "/") + WhiteoutHandler.OPAQUE);
    }

    private void marker(String name) throws IOException {
      tar.putHeader(new TarHeader(TarHeader.Type.FILE, name, "", 0, 0, 0, 0, Instant.EPOCH, 0, 0, Map.of()));
    }

    /** Writes the end-of-archive blocks (the stream stays open). */
    public void finish() throws IOException {
      tar.finish();
    }
  }

  /** Copies in 1 MiB chunks: a digesting sink hashes large arrays at the SHA-NI intrinsic's full speed. */
  private static void writeBody(Path file, long size, OutputStream out) throws IOException {
    FileChannel channel = DirFd.openRegular(file);
    if (channel == null) throw new IOException("file " + file + " changed type while being written to the tar");
    try (InputStream in = Channels.newInputStream(channel)) {
      byte[] buf = new byte[(int) Math.min(size, 1 << 20) + 1];
      long copied = 0;
      for (int n; (n = in.read(buf)) > 0; copied += n) out.write(buf, 0, n);
      if (copied != size) {
        throw new IOException("file " + file + " changed size while being written to the tar");
      }
    }
  }

  private static List<Path> sortedChildren(Path dir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    children.sort((x, y) -> Arrays.compareUnsigned(bytes(x), bytes(y)));
    return children;
  }

  private static byte[] bytes(Path p) {
    return p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
  }

  private static TarHeader.Type typeOf(int mode) {
    return switch (mode & 0170000) {
      case 0100000 -> TarHeader.Type.FILE;
      case 0040000 -> TarHeader.Type.DIR;
      case 0120000 -> TarHeader.Type.SYMLINK;
      case 0020000 -> TarHeader.Type.CHAR;
      case 0060000 -> TarHeader.Type.BLOCK;
      case 0010000 -> TarHeader.Type.FIFO;
      default -> null;
    };
  }

  private static int major(long rdev) {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
  }

  private static int minor(long rdev) {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
  }
}
