package io.strata.snapshot;

import io.strata.sys.DirFd;
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
    try (DirFd dir = DirFd.open(root)) {
      walk("", dir);
    } catch (IOException e) {
      throw new UncheckedIOException("diff of " + root, e);
    }
    out.sort(null);
    return out;
  }

  /**
   * Compares the container's directory {@code rel}, open as {@code dir} (null: gone), with the
   * parent's. The container's side is read through descriptors, as it may be running (see
   * {@link OverlayChanges}); the parent is the store's own and read by path.
   */
  private boolean walk(String rel, DirFd dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    if (dir != null) names.addAll(FsEntry.names(dir.path()));
    if (parent != null) names.addAll(FsEntry.names(at(parent, rel)));
    boolean changed = false;
    for (String name : names) {
      String path = rel + "/" + name;
      Path now = dir == null ? null : dir.entry(name);
      FsEntry cur = now == null ? null : FsEntry.of(now);
      FsEntry old = parent == null ? null : FsEntry.of(at(parent, path));
      if (cur == null) {
        if (old != null) out.add(new Change(Change.Kind.DELETED, path));
        changed |= old != null;
      } else if (old == null || cur.type() != old.type()) {
        out.add(new Change(old == null ? Change.Kind.ADDED : Change.Kind.CHANGED, path));
        if (cur.isDir()) {
          try (DirFd child = OverlayChanges.child(dir, name)) {
            if (child != null) walkAdded(path, child);
          }
        }
        changed = true;
      } else if (cur.isDir()) {
        boolean inner;
        try (DirFd child = OverlayChanges.child(dir, name)) {
          inner = walk(path, child);
        }
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

  private void walkAdded(String rel, DirFd dir) throws IOException {
    for (String name : FsEntry.names(dir.path())) {
      String path = rel + "/" + name;
      FsEntry e = FsEntry.of(dir.entry(name));
      if (e == null) continue;
      out.add(new Change(Change.Kind.ADDED, path));
      if (!e.isDir()) continue;
      try (DirFd child = OverlayChanges.child(dir, name)) {
        if (child != null) walkAdded(path, child);
      }
    }
  }

  private static Path at(Path base, String rel) {
    return rel.isEmpty() ? base : base.resolve(rel.substring(1));
  }
}
