package io.strata.build.ignore;

import java.util.ArrayList;
import java.util.List;

/** Go's {@code filepath} functions for slash-separated paths (moby's matcher runs them on Unix). */
final class GoPaths {
  private GoPaths() {}

  /** {@code filepath.Clean}: no empty or {@code .} components, {@code ..} resolved lexically, {@code .} for nothing. */
  static String clean(String p) {
    if (p.isEmpty()) return ".";
    boolean rooted = p.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String c : p.split("/")) {
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) {
        if (!out.isEmpty() && !out.getLast().equals("..")) out.removeLast();
        else if (!rooted) out.add(".."); // ".." above the root is the root
        continue;
      }
      out.add(c);
    }
    String joined = String.join("/", out);
    if (rooted) return "/" + joined;
    return joined.isEmpty() ? "." : joined;
  }

  /**
   * The directories above a cleaned path, outermost first, as moby joins the components of
   * {@code filepath.Dir}: {@code a/b/c} gives {@code a}, {@code a/b}; {@code /a/b} gives {@code ""}, {@code /a}.
   */
  static List<String> parents(String cleaned) {
    int slash = cleaned.lastIndexOf('/');
    if (slash < 0) return List.of();
    String dir = slash == 0 ? "/" : cleaned.substring(0, slash);
    List<String> parents = new ArrayList<>();
    for (int i = dir.indexOf('/'); i >= 0; i = dir.indexOf('/', i + 1)) parents.add(dir.substring(0, i));
    parents.add(dir);
    return parents;
  }
}
