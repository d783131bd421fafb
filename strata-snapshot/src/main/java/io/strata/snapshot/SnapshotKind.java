package io.strata.snapshot;

/** Committed snapshots are unpacked layers, never modified; active ones are writable layers. */
public enum SnapshotKind {
  COMMITTED,
  ACTIVE;

  String column() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static SnapshotKind of(String column) {
    return valueOf(column.toUpperCase(java.util.Locale.ROOT));
  }
}
