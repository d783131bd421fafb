package io.strata.layer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Resolves a path of a container or image root as the process inside would see it, never leaving
 * the root: symlinks are followed with the root as {@code /} (see {@link RootPath}).
 */
public final class InRoot {
  private InRoot() {}

  /** {@code path} (absolute or not) resolved inside {@code root}, following every symlink on the way. */
  public static Path resolve(Path root, String path) throws IOException {
    return new RootPath(root).resolve(Names.split(path), true);
  }

  /**
   * {@code path} cleaned lexically as Go's {@code filepath.Join("/", path)}: absolute, no {@code .}
   * or empty components, {@code ..} stopping at the root. Looks at no filesystem.
   */
  public static String clean(String path) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    for (String c : path.split("/")) {
      if (c.equals("..")) {
        if (!parts.isEmpty()) parts.removeLast();
      } else if (!c.isEmpty() && !c.equals(".")) {
        parts.add(c);
      }
    }
    return "/" + String.join("/", parts);
  }

  /** As {@link #resolve} but a symlink in the last position is returned as itself. */
  public static Path resolveNoFollow(Path root, String path) throws IOException {
    return new RootPath(root).resolve(Names.split(path), false);
  }
}
