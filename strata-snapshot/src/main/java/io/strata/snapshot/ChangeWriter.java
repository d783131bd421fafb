package io.strata.snapshot;

import io.strata.layer.TarWriter;
import io.strata.layer.WriteOptions;
import io.strata.sys.DirFd;
import io.strata.sys.ErrnoException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Writes a container's changes as an OCI layer: added and changed paths as entries read from the
 * snapshot's files, deletions as {@code .wh.} whiteouts, an opaque directory with its
 * {@code .wh..wh..opq} marker. Changes come sorted, so a directory precedes its contents.
 *
 * <p>The container may still run and change its files meanwhile, so each entry is read through its
 * parent directory's descriptor, opened component by component without following a symlink: a
 * directory swapped for a link to the host never leads the layer out of the snapshot.
 */
final class ChangeWriter {
  private ChangeWriter() {}

  static void write(Path files, List<Change> changes, Predicate<Path> opaque, OutputStream out, WriteOptions options) {
    try (DirFd root = DirFd.open(files); Parents parents = new Parents(root)) {
      TarWriter.Session tar = TarWriter.open(out, options);
      for (Change c : changes) {
        String name = c.path().substring(1);
        if (c.kind() == Change.Kind.DELETED) {
          tar.whiteout(name);
          continue;
        }
        int slash = name.lastIndexOf('/');
        DirFd parent = parents.at(slash < 0 ? "" : name.substring(0, slash));
        if (parent == null) continue; // its directory is gone or is no longer one
        Path file = parent.entry(name.substring(slash + 1));
        tar.add(name, file, false);
        FsEntry e = FsEntry.of(file);
        if (e != null && e.isDir() && opaque.test(file)) tar.opaque(name);
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("write layer of " + files, e);
    }
  }

  /** The last parent directory opened, kept while consecutive changes share it. */
  private static final class Parents implements AutoCloseable {
    private final DirFd root;
    private String rel;
    private DirFd open;

    Parents(DirFd root) {
      this.root = root;
    }

    DirFd at(String rel) throws ErrnoException {
      if (rel.equals(this.rel)) return open;
      close();
      this.rel = rel;
      try {
        open = root.beneath(rel);
      } catch (ErrnoException e) {
        if (e.errno() != ErrnoException.ENOENT && e.errno() != ErrnoException.ELOOP && e.errno() != ErrnoException.ENOTDIR) throw e;
        open = null;
      }
      return open;
    }

    @Override
    public void close() {
      if (open != null) open.close();
      open = null;
    }
  }
}
