package io.strata.build.ignore;

import java.util.ArrayList;
import java.util.List;

/** Go's {@code filepath.Clean} for slash-separated paths. */
final class GoPaths {
  private GoPaths() {}

  static String clean(String p) {
    if (p.isEmpty()) return ".";
    boolean rooted = p.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String c : p.split("/")) {
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) {
        if (!out.isEmpty() && !out.getLast().equals("..")) out.removeLast();
        else if (!rooted) out.add("..");
        continue;
      }
      out.add(c);
    }
    String joined = String.join("/", out);
    if (rooted) return "/" + joined;
    return joined.isEmpty() ? "." : joined;
  }
}
