package io.strata.layer;

import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves paths inside a root directory one component at a time, as containerd's
 * {@code fs.RootPath} and filepath-securejoin do: a symlink met on the way is followed as if the
 * root were {@code /} (absolute targets restart at the root, {@code ..} stops at the root), so the
 * result is always the root or below it. Components that do not exist are taken literally.
 *
 * <p>This is safe only while nobody else changes the tree during the apply; the root is private
 * to the store, and every later metadata call refuses to follow a final symlink anyway.
 */
final class RootPath {
  private static final int MAX_LINKS = 255;
  private final Path root;

  /** {@code root} must be an absolute, symlink-free path to a directory. */
  RootPath(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /**
   * Resolves {@code components} (which may contain {@code ..}) below the root. With
   * {@code followFinal} false a symlink in the last position is returned as itself.
   */
  Path resolve(List<String> components, boolean followFinal) throws IOException {
    Deque<String> pending = new ArrayDeque<>(components);
    List<String> resolved = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String c = pending.removeFirst();
      if (c.isEmpty() || c.equals(".")) continue;
      if (c.equals("..")) {
        if (!resolved.isEmpty()) resolved.removeLast();
        continue;
      }
      Path candidate = at(resolved).resolve(c);
      boolean last = pending.isEmpty();
      if ((last && !followFinal) || !Files.isSymbolicLink(candidate)) {
        resolved.add(c);
        continue;
      }
      if (++links > MAX_LINKS) {
        throw new InvalidArgumentException("resolve " + Names.quote(Names.join(components)) + ": too many levels of symbolic links");
      }
      String target = Files.readSymbolicLink(candidate).toString();
      if (target.startsWith("/")) resolved.clear();
      List<String> parts = Names.split(target);
      for (int i = parts.size() - 1; i >= 0; i--) pending.addFirst(parts.get(i));
    }
    return at(resolved);
  }

  /** The directory that holds an entry: its parent components resolved, following every symlink. */
  Path parentOf(List<String> entry) throws IOException {
    return resolve(entry.subList(0, entry.size() - 1), true);
  }

  /**
   * Creates {@code dir} and any missing ancestors below the root (mode 0755), like {@code mkdir -p}
   * but never through a symlink: {@code dir} must come from {@link #resolve}. Returns the directories it made.
   */
  List<Path> mkdirs(Path dir) throws IOException {
    List<Path> made = new ArrayList<>();
    Path rel = root.relativize(dir);
    Path cur = root;
    for (Path part : rel) {
      if (part.toString().isEmpty()) continue;
      cur = cur.resolve(part.toString());
      BasicFileAttributes a = attrs(cur);
      if (a == null) {
        Files.createDirectory(cur);
        made.add(cur);
      } else if (!a.isDirectory()) {
        throw new java.nio.file.NotDirectoryException(cur.toString());
      }
    }
    return made;
  }

  /** lstat, or null when nothing is there. */
  static BasicFileAttributes attrs(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  private Path at(List<String> parts) {
    Path p = root;
    for (String s : parts) p = p.resolve(s);
    return p;
  }
}
