package io.strata.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a directory tree holds, for equality assertions: relative path ({@code "etc/passwd"}, the root
 * itself excluded) → {@link TreeEntry}. Symlinks are never followed. Mtimes are kept aside
 * ({@link #mtimes()}) because most comparisons do not want them.
 */
public record TreeSnapshot(SortedMap<String, TreeEntry> entries, SortedMap<String, Long> mtimes) {

  public enum Type { FILE, DIR, SYMLINK, CHAR, BLOCK, FIFO, SOCKET }

  /**
   * One node. {@code sha256} is the hex content hash of regular files (else null); {@code linkTarget}
   * is the verbatim symlink target, or {@code "major:minor"} for devices (else null).
   */
  public record TreeEntry(Type type, int mode, int uid, int gid, long size, String sha256, String linkTarget) {}

  public TreeSnapshot {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    mtimes = Collections.unmodifiableSortedMap(new TreeMap<>(mtimes));
  }

  public static TreeSnapshot of(Path root) {
    SortedMap<String, TreeEntry> entries = new TreeMap<>();
    SortedMap<String, Long> mtimes = new TreeMap<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          record(dir, attrs);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          record(file, attrs);
          return FileVisitResult.CONTINUE;
        }

        private void record(Path p, BasicFileAttributes attrs) throws IOException {
          if (p.equals(root)) return;
          String rel = root.relativize(p).toString();
          entries.put(rel, entry(p));
          mtimes.put(rel, attrs.lastModifiedTime().toMillis() / 1000);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("snapshot " + root, e);
    }
    return new TreeSnapshot(entries, mtimes);
  }

  /** Human-readable differences, empty when equal: {@code "etc/x: only in this"}, {@code "a: mode 755 != 700"}. */
  public List<String> diff(TreeSnapshot other) {
    List<String> out = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(entries.keySet());
    names.addAll(other.entries.keySet());
    for (String name : names) {
      TreeEntry a = entries.get(name);
      TreeEntry b = other.entries.get(name);
      if (b == null) out.add(name + ": only in this " + a);
      else if (a == null) out.add(name + ": only in other " + b);
      else if (!a.equals(b)) out.add(name + ": " + a + " != " + b);
    }
    return out;
  }

  /** Differences in whole-second mtimes of entries present in both trees, symlinks excluded. */
  public List<String> mtimeDiff(TreeSnapshot other) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : mtimes.entrySet()) {
      Long theirs = other.mtimes.get(e.getKey());
      TreeEntry entry = entries.get(e.getKey());
      if (theirs != null && entry.type() != Type.SYMLINK && !theirs.equals(e.getValue())) {
        out.add(e.getKey() + ": mtime " + e.getValue() + " != " + theirs);
      }
    }
    return out;
  }

  private static TreeEntry entry(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    Type type = typeOf(mode);
    long size = type == Type.FILE ? (Long) a.get("size") : 0;
    String sha = type == Type.FILE ? sha256(p) : null;
    String link = switch (type) {
      case SYMLINK -> Files.readSymbolicLink(p).toString();
      case CHAR, BLOCK -> device((Long) a.get("rdev"));
      default -> null;
    };
    return new TreeEntry(type, mode & 07777, uid, gid, size, sha, link);
  }

  static Type typeOf(int mode) {
    return switch (mode & 0170000) {
      case 0100000 -> Type.FILE;
      case 0040000 -> Type.DIR;
      case 0120000 -> Type.SYMLINK;
      case 0020000 -> Type.CHAR;
      case 0060000 -> Type.BLOCK;
      case 0010000 -> Type.FIFO;
      case 0140000 -> Type.SOCKET;
      default -> throw new IllegalStateException("unknown file type " + Integer.toOctalString(mode));
    };
  }

  private static String device(long rdev) {
    long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    return major + ":" + minor;
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    entries.forEach((k, v) -> sb.append(k).append(" ").append(v).append('\n'));
    return sb.toString();
  }
}
