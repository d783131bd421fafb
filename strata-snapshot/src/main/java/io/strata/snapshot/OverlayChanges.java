package io.strata.snapshot;

import io.strata.sys.DirFd;
import io.strata.sys.ErrnoException;
import io.strata.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A container's changes read from its overlay upper directory: a whiteout device is a deletion,
 * an opaque directory hides everything below it in the lower layers (those paths are deletions),
 * anything else is an addition when no lower layer has the path and a change when one does.
 * Directories that hold changes are listed as changed, as Docker does.
 */
final class OverlayChanges {
  private final Path upper;
  private final List<Path> lowers; // topmost first
  private final List<Change> out = new ArrayList<>();

  OverlayChanges(Path upper, List<Path> lowers) {
    this.upper = upper;
    this.lowers = lowers;
  }

  List<Change> compute() {
    try (DirFd root = DirFd.open(upper)) {
      walk("", root);
    } catch (IOException e) {
      throw new UncheckedIOException("diff of " + upper, e);
    }
    out.sort(null);
    return out;
  }

  static boolean isOpaque(Path dir) {
    try {
      byte[] v = Syscalls.lgetxattr(dir, "trusted.overlay.opaque");
      return v.length == 1 && v[0] == 'y';
    } catch (ErrnoException e) {
      return false; // ENODATA: not opaque
    }
  }

  /**
   * Walks the upper directory {@code rel} ("" for the root), open as {@code dir}; returns whether
   * anything below changed. The walk goes through descriptors (the container may be running and
   * swapping its directories for symlinks); a directory that vanished or changed type is skipped.
   */
  private boolean walk(String rel, DirFd dir) throws IOException {
    boolean changed = false;
    for (String name : FsEntry.names(dir.path())) {
      String path = rel + "/" + name;
      Path file = dir.entry(name);
      FsEntry e = FsEntry.of(file);
      if (e == null) continue;
      changed = true;
      LowerEntry lower = lowerLookup(path);
      if (e.isWhiteout()) {
        if (lower != null) out.add(new Change(Change.Kind.DELETED, path));
        continue;
      }
      if (!e.isDir()) {
        out.add(new Change(lower == null ? Change.Kind.ADDED : Change.Kind.CHANGED, path));
        continue;
      }
      try (DirFd child = child(dir, name)) {
        if (lower == null || !lower.entry().isDir()) {
          out.add(new Change(Change.Kind.ADDED, path));
          if (child != null) walkAdded(path, child);
          continue;
        }
        boolean opaque = isOpaque(file);
        boolean inner = child != null && walk(path, child);
        if (opaque) deletedBelow(path, child);
        if (opaque || inner || !e.sameMeta(lower.entry())) out.add(new Change(Change.Kind.CHANGED, path));
      }
    }
    return changed;
  }

  private void walkAdded(String rel, DirFd dir) throws IOException {
    for (String name : FsEntry.names(dir.path())) {
      String path = rel + "/" + name;
      FsEntry e = FsEntry.of(dir.entry(name));
      if (e == null || e.isWhiteout()) continue;
      out.add(new Change(Change.Kind.ADDED, path));
      if (!e.isDir()) continue;
      try (DirFd child = child(dir, name)) {
        if (child != null) walkAdded(path, child);
      }
    }
  }

  /** The subdirectory {@code name}, or null when it is gone or no longer a directory. */
  static DirFd child(DirFd dir, String name) throws ErrnoException {
    try {
      return dir.child(name);
    } catch (ErrnoException e) {
      if (e.errno() == ErrnoException.ENOENT || e.errno() == ErrnoException.ELOOP || e.errno() == ErrnoException.ENOTDIR) return null;
      throw e;
    }
  }

  /** An opaque directory: whatever the lower layers show in it and the upper lacks is deleted. */
  private void deletedBelow(String rel, DirFd upperDir) throws IOException {
    Set<String> upperNames = upperDir == null ? Set.of() : new HashSet<>(FsEntry.names(upperDir.path()));
    Set<String> seen = new HashSet<>();
    for (Path lower : lowers) {
      for (String name : FsEntry.names(lower.resolve(rel.substring(1)))) {
        if (upperNames.contains(name) || !seen.add(name)) continue;
        if (lowerLookup(rel + "/" + name) != null) out.add(new Change(Change.Kind.DELETED, rel + "/" + name));
      }
    }
  }

  private record LowerEntry(FsEntry entry) {}

  /** What the lower layers together show at {@code path}, or null when they show nothing. */
  private LowerEntry lowerLookup(String path) throws IOException {
    String[] parts = path.substring(1).split("/");
    for (Path lower : lowers) {
      Path cur = lower;
      boolean stop = false; // this layer hides the path from the layers below it
      for (int i = 0; i < parts.length; i++) {
        cur = cur.resolve(parts[i]);
        FsEntry e = FsEntry.of(cur);
        if (e == null) {
          break;
        }
        if (e.isWhiteout()) return null;
        if (i == parts.length - 1) return new LowerEntry(e);
        if (!e.isDir()) return null;
        if (isOpaque(cur)) stop = true;
      }
      if (stop) return null;
    }
    return null;
  }
}
