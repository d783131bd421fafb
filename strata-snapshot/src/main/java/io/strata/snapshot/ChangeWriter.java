package io.strata.snapshot;

import io.strata.layer.TarWriter;
import io.strata.layer.WriteOptions;
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
 */
final class ChangeWriter {
  private ChangeWriter() {}

  static void write(Path files, List<Change> changes, Predicate<Path> opaque, OutputStream out, WriteOptions options) {
    try {
      TarWriter.Session tar = TarWriter.open(out, options);
      for (Change c : changes) {
        String name = c.path().substring(1);
        if (c.kind() == Change.Kind.DELETED) {
          tar.whiteout(name);
          continue;
        }
        Path file = files.resolve(name);
        tar.add(name, file, false);
        if (FsEntry.of(file).isDir() && opaque.test(file)) tar.opaque(name);
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("write layer of " + files, e);
    }
  }
}
