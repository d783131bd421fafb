package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.InRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's /etc/passwd and /etc/group, read inside its root: every symlink on the way is
 * resolved with the root as {@code /} ({@link InRoot}), so a hostile image cannot point the lookup
 * at the host's files. A missing file (or one that is not a regular file) reads as empty.
 */
final class AccountFiles {
  static final long MAX_ID = Integer.MAX_VALUE;
  private static final int MAX_BYTES = 4 << 20;

  record Passwd(String name, long uid, long gid, String home) {}

  record Group(String name, long gid, List<String> members) {}

  private AccountFiles() {}

  /** The usable entries: an ID that is malformed or out of range makes its entry unusable, never root. */
  static List<Passwd> passwd(Path rootfs) {
    List<Passwd> out = new ArrayList<>();
    for (String[] f : rows(rootfs, "/etc/passwd")) {
      long uid = f.length > 2 ? listedId(f[2]) : -1;
      long gid = f.length > 3 ? listedId(f[3]) : -1;
      if (uid >= 0 && gid >= 0) out.add(new Passwd(f[0], uid, gid, f.length > 5 ? f[5] : ""));
    }
    return out;
  }

  static List<Group> groups(Path rootfs) {
    List<Group> out = new ArrayList<>();
    for (String[] f : rows(rootfs, "/etc/group")) {
      long gid = f.length > 2 ? listedId(f[2]) : -1;
      if (gid < 0) continue;
      List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
      out.add(new Group(f[0], gid, members));
    }
    return out;
  }

  /** An ID as written in a file: plain digits within 0..2^31-1, else -1. */
  private static long listedId(String s) {
    String digits = s.replaceFirst("^0+(?=.)", "");
    if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
    long v = Long.parseLong(digits);
    return v > MAX_ID ? -1 : v;
  }

  /** The colon-separated fields of each non-blank line of {@code file} of the container. */
  private static List<String[]> rows(Path rootfs, String file) {
    try {
      Path p = InRoot.resolve(rootfs, file);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return List.of();
      byte[] bytes;
      // NOFOLLOW_LINKS: the last component was resolved above; it must not turn into a symlink now
      try (InputStream in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
      if (bytes.length > MAX_BYTES) {
        throw new InvalidArgumentException(file + " of the container is larger than " + (MAX_BYTES >> 20) + " MiB");
      }
      List<String[]> rows = new ArrayList<>();
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) rows.add(l.split(":", -1));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file + " of the container", e);
    }
  }
}
