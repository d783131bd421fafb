package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code USER} ({@code name}, {@code uid}, {@code name:group}, {@code uid:gid}, ...) as
 * runc's {@code user.GetExecUser} does, with the fix of CVE-2024-40635 (S30): a numeric user or
 * group is always an ID, never looked up as a name (a hostile /etc/passwd may map the name
 * "4294967295" to uid 0), and an ID outside 0..2^31-1 is refused rather than wrapped.
 */
public final class UserResolver {
  private UserResolver() {}

  /**
   * Resolves {@code user} against {@code rootfs}'s /etc/passwd and /etc/group, read inside the root
   * (see {@link AccountFiles}); missing files are fine for numeric users and groups.
   */
  public static ResolvedUser resolve(Path rootfs, String user) {
    String spec = user == null ? "" : user;
    int colon = spec.indexOf(':');
    String userArg = colon < 0 ? spec : spec.substring(0, colon);
    String groupArg = colon < 0 ? "" : spec.substring(colon + 1);
    // IDs are checked before any file is read: a bad one is refused whatever the files say
    long uidArg = isNumeric(userArg) ? id(userArg, "uid", spec) : -1;
    long gidArg = isNumeric(groupArg) ? id(groupArg, "gid", spec) : -1;

    AccountFiles.Passwd entry = null;
    for (AccountFiles.Passwd p : AccountFiles.passwd(rootfs)) {
      boolean match = userArg.isEmpty() ? p.uid() == 0 : uidArg >= 0 ? p.uid() == uidArg : p.name().equals(userArg);
      if (match) {
        entry = p; // the first match wins, as in runc
        break;
      }
    }
    if (entry == null && !userArg.isEmpty() && uidArg < 0) {
      throw new InvalidArgumentException("unable to find user " + userArg + ": no matching entries in passwd file");
    }
    long uid = entry != null ? entry.uid() : Math.max(uidArg, 0);
    long gid = entry != null ? entry.gid() : 0;
    String home = entry == null || entry.home().isEmpty() ? "/" : entry.home();

    List<Long> supplementary = new ArrayList<>();
    if (!groupArg.isEmpty()) {
      gid = gidArg >= 0 ? gidArg : groupByName(rootfs, groupArg);
    } else if (entry != null) {
      // only the implicit form gets the groups that list the user (runc)
      for (AccountFiles.Group g : AccountFiles.groups(rootfs)) {
        if (g.members().contains(entry.name()) && !supplementary.contains(g.gid())) supplementary.add(g.gid());
      }
    }
    return new ResolvedUser(uid, gid, supplementary, home);
  }

  /**
   * As {@link #resolve(Path, String)}, with Docker's {@code --group-add} groups added to the
   * supplementary ones: each a group of the container's /etc/group by name or gid, else a numeric
   * gid (runc's {@code GetAdditionalGroups}, with its messages).
   */
  public static ResolvedUser resolve(Path rootfs, String user, List<String> groupAdd) {
    ResolvedUser u = resolve(rootfs, user);
    if (groupAdd.isEmpty()) return u;
    List<Long> gids = new ArrayList<>(u.additionalGids());
    List<AccountFiles.Group> groups = AccountFiles.groups(rootfs);
    for (String g : groupAdd) {
      long gid = groups.stream().filter(e -> e.name().equals(g) || Long.toString(e.gid()).equals(g))
          .mapToLong(AccountFiles.Group::gid).findFirst().orElseGet(() -> numericGroup(g));
      if (!gids.contains(gid)) gids.add(gid);
    }
    return new ResolvedUser(u.uid(), u.gid(), gids, u.home());
  }

  private static long numericGroup(String g) {
    long gid;
    try {
      gid = FlagValues.int64(g);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("Unable to find group " + g + ": no matching entries in group file");
    }
    if (gid < 0 || gid > AccountFiles.MAX_ID) {
      throw new InvalidArgumentException("uids and gids must be in range 0-" + AccountFiles.MAX_ID);
    }
    return gid;
  }

  private static long groupByName(Path rootfs, String name) {
    for (AccountFiles.Group g : AccountFiles.groups(rootfs)) {
      if (g.name().equals(name)) return g.gid();
    }
    throw new InvalidArgumentException("unable to find group " + name + ": no matching entries in group file");
  }

  /** Digits with an optional sign: an ID (a signed one is always out of range), never a name. */
  private static boolean isNumeric(String s) {
    String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    return !digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static long id(String s, String what, String spec) {
    String digits = s.replaceFirst("^0+(?=.)", "");
    if (!Character.isDigit(s.charAt(0)) || digits.length() > 10 || Long.parseLong(digits) > AccountFiles.MAX_ID) {
      throw new InvalidArgumentException("invalid user " + spec + ": " + what + " " + s + " out of range (0-" + AccountFiles.MAX_ID + ")");
    }
    return Long.parseLong(digits);
  }
}
