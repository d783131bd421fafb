package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.InRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code USER} ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}, ...) as
 * runc's {@code user.GetExecUser} does, with the fixes of CVE-2024-40635 (S30): an all-digit user
 * or group is always an ID, and one outside 0..2^31-1 is refused, never wrapped and never looked up
 * as a name (which a hostile /etc/passwd could map to root). /etc/passwd and /etc/group are read
 * inside the root: a symlinked /etc cannot point the lookup at the host's files.
 */
public final class UserResolver {
  private static final long MAX_ID = Integer.MAX_VALUE;
  private static final long MAX_FILE = 4 << 20;

  private UserResolver() {}

  private record PasswdEntry(String name, long uid, long gid, String home) {}

  public static ResolvedUser resolve(Path rootfs, String user) {
    String spec = user == null ? "" : user;
    int colon = spec.indexOf(':');
    String userPart = colon < 0 ? spec : spec.substring(0, colon);
    String groupPart = colon < 0 ? null : spec.substring(colon + 1);
    List<PasswdEntry> passwd = passwd(rootfs);

    PasswdEntry entry;
    long uid;
    if (userPart.isEmpty()) {
      uid = 0;
      entry = passwd.stream().filter(e -> e.uid == 0).findFirst().orElse(null);
    } else if (isNumeric(userPart)) {
      uid = id(userPart, "uid", spec);
      entry = passwd.stream().filter(e -> e.uid == uid).findFirst().orElse(null);
    } else {
      entry = passwd.stream().filter(e -> e.name.equals(userPart)).findFirst().orElseThrow(() ->
          new InvalidArgumentException("unable to find user " + userPart + ": no matching entries in passwd file"));
      uid = entry.uid;
    }
    long gid = entry == null ? 0 : entry.gid;
    List<String[]> groups = groups(rootfs);
    if (groupPart != null && !groupPart.isEmpty()) {
      if (isNumeric(groupPart)) {
        gid = id(groupPart, "gid", spec);
      } else {
        gid = groups.stream().filter(g -> g[0].equals(groupPart)).findFirst().map(g -> parseListed(g[2])).orElseThrow(() ->
            new InvalidArgumentException("unable to find group " + groupPart + ": no matching entries in group file"));
      }
    }
    List<Long> additional = new ArrayList<>();
    if (entry != null) {
      for (String[] g : groups) {
        if (g.length > 3 && List.of(g[3].split(",")).contains(entry.name)) {
          long extra = parseListed(g[2]);
          if (extra >= 0 && extra != gid && !additional.contains(extra)) additional.add(extra);
        }
      }
    }
    return new ResolvedUser(uid, gid, additional, entry == null || entry.home.isEmpty() ? "/" : entry.home);
  }

  /** All digits, or a sign followed by digits (refused as out of range, never taken for a name). */
  private static boolean isNumeric(String s) {
    String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    return !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static long id(String s, String what, String spec) {
    String digits = s.startsWith("+") ? s.substring(1) : s;
    if (digits.startsWith("-") || digits.length() > 10 || Long.parseLong(digits) > MAX_ID) {
      throw new InvalidArgumentException("invalid user " + spec + ": " + what + " " + s + " out of range (0-" + MAX_ID + ")");
    }
    return Long.parseLong(digits);
  }

  /** An ID as written in /etc/passwd or /etc/group; a malformed or out-of-range one makes the entry unusable (-1). */
  private static long parseListed(String s) {
    if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
    long v = Long.parseLong(s);
    return v > MAX_ID ? -1 : v;
  }

  private static List<PasswdEntry> passwd(Path rootfs) {
    List<PasswdEntry> out = new ArrayList<>();
    for (String[] f : table(rootfs, "/etc/passwd")) {
      if (f.length < 6) continue;
      long uid = parseListed(f[2]);
      long gid = parseListed(f[3]);
      if (uid < 0 || gid < 0) continue;
      out.add(new PasswdEntry(f[0], uid, gid, f[5]));
    }
    return out;
  }

  private static List<String[]> groups(Path rootfs) {
    List<String[]> out = new ArrayList<>();
    for (String[] f : table(rootfs, "/etc/group")) {
      if (f.length >= 3 && parseListed(f[2]) >= 0) out.add(f);
    }
    return out;
  }

  /** The colon-separated lines of a file of the container; none when it is missing or not a regular file. */
  private static List<String[]> table(Path rootfs, String file) {
    try {
      Path p = InRoot.resolve(rootfs, file);
      if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(p) > MAX_FILE) return List.of();
      List<String[]> rows = new ArrayList<>();
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) continue;
        rows.add(line.split(":", -1));
      }
      return rows;
    } catch (java.nio.charset.MalformedInputException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file + " of the container", e);
    }
  }
}
