package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/** Container paths as Docker checks them: absolute, cleaned, with {@code ..} refused where it could climb. */
final class Paths {
  private Paths() {}

  /** {@code path} absolute and without {@code ..}, {@code .} or doubled slashes; {@code ..} is an error. */
  static String cleanAbsolute(String path, String what) {
    if (!path.startsWith("/")) throw new InvalidArgumentException("invalid " + what + " " + path + ": not an absolute path");
    List<String> parts = new ArrayList<>();
    for (String c : path.split("/")) {
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) throw new InvalidArgumentException("invalid " + what + " " + path + ": contains ..");
      parts.add(c);
    }
    return "/" + String.join("/", parts);
  }

  /** Lexical clean of a working directory, relative ones joined to {@code /}; {@code ..} stops at the root. */
  static String cleanWorkdir(String path) {
    List<String> parts = new ArrayList<>();
    for (String c : path.split("/")) {
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) {
        if (!parts.isEmpty()) parts.removeLast();
        continue;
      }
      parts.add(c);
    }
    return "/" + String.join("/", parts);
  }
}
