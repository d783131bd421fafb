package io.strata.snapshot;

import java.nio.file.Path;

/** A snapshot row: its key, the directory holding it ({@code fs}, and {@code work} for overlay), its parent key. */
public record SnapshotInfo(String driver, String key, Path dir, String parent, SnapshotKind kind) {
  /** The files of the snapshot: a layer's own files (overlay) or a whole root (native). */
  public Path fs() {
    return dir.resolve("fs");
  }
}
