package io.strata.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A container's changes found by comparing its whole root with its parent's (the native driver):
 * metadata, size and mtime decide whether a file changed, as moby's naive differ does. A deleted
 * directory is one deletion; an added one lists everything inside it.
 */
final class NativeChanges {
  private final Path root;
  private final Path parent; // null: the container started empty
  private final List<Change> out = new ArrayList<>();

  NativeChanges(Path root, Path parent) {
    this.root = root;
    this.parent = parent;
  }

  List<Change> compute() {
    try {
      walk("");
    } catch (IOException e) {
      throw new UncheckedIOException("diff of " + root, e);
    }
    out.sort(null);
    return out;
  }

  private boolean walk(String rel) throws IOException {
    TreeSet<String> names = new TreeSet<>(FsEntry.names(at(root, rel)));
    if (parent != null) names.addAll(FsEntry.names(at(parent, rel)));
    boolean changed = false;
    for (String name : names) {
      String path = rel + "/" + name;
      Path now = at(root, path);
      FsEntry cur = FsEntry.of(now);
      FsEntry old = parent == null ? null : FsEntry.of(at(parent, path));
      if (cur == null) {
        out.add(new Change(Change.Kind.DELETED, path));
        changed = true;
      } else if (old == null || cur.type() != old.type()) {
        out.add(new Change(old == null ? Change.Kind.ADDED : Change.Kind.CHANGED, path));
        if (cur.isDir()) walkAdded(path);
        changed = true;
      } else if (cur.isDir()) {
        boolean inner = walk(path);
        if (inner || !cur.sameMeta(old)) {
          out.add(new Change(Change.Kind.CHANGED, path));
          changed = true;
        }
      } else if (!cur.sameFile(old, now, at(parent, path))) {
        out.add(new Change(Change.Kind.CHANGED, path));
        changed = true;
      }
    }
    return changed;
  }

  private void walkAdded(String rel) throws IOException {
    for (String name : FsEntry.names(at(root, rel))) {
      String path = rel + "/" + name;
      out.add(new Change(Change.Kind.ADDED, path));
      FsEntry e = FsEntry.of(at(root, path));
      if (e != null && e.isDir()) walkAdded(path);
    }
  }

  private static Path at(Path base, String rel) {
    return rel.isEmpty() ? base : base.resolve(rel.substring(1));
  }
}
