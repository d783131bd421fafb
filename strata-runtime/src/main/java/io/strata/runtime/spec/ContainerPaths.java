package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/** Paths inside the container, checked and cleaned lexically (nothing here looks at a filesystem). */
public final class ContainerPaths {
  private ContainerPaths() {}

  /**
   * {@code path} cleaned, which must be absolute and have no {@code ..} component in its raw form:
   * such a path is refused rather than cleaned, since whatever joins it to a root later might not
   * clean it the same way (CVE-2022-23648).
   */
  public static String absoluteNoDotDot(String path, String what) {
    if (!path.startsWith("/")) throw new InvalidArgumentException("invalid " + what + " " + path + ": not an absolute path");
    List<String> parts = new ArrayList<>();
    for (String c : path.split("/")) {
      if (c.equals("..")) throw new InvalidArgumentException("invalid " + what + " " + path + ": contains ..");
      if (!c.isEmpty() && !c.equals(".")) parts.add(c);
    }
    return "/" + String.join("/", parts);
  }

  /** Whether the clean absolute {@code path} is {@code dir} or below it. */
  static boolean isWithin(String path, String dir) {
    return path.equals(dir) || path.startsWith(dir + "/");
  }

  /** How deep a clean absolute path is: {@code /} is 0, {@code /a/b} is 2 (Docker's mount sort key). */
  static int depth(String path) {
    return path.equals("/") ? 0 : (int) path.chars().filter(c -> c == '/').count();
  }
}
