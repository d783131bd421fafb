package io.strata.snapshot;

import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots of filesystems (containerd's snapshotter model). Committed snapshots are unpacked
 * layers keyed by chainID, each stored once and shared by every image and container above it;
 * active snapshots are writable layers over a committed parent. Returns {@link Mount}s; mounting
 * is the caller's ({@link Mounter}).
 */
public sealed interface Snapshotter permits RepositorySnapshotter {
  /** {@code overlay} or {@code native}. */
  String driver();

  Optional<SnapshotInfo> get(String key);

  /** Ensures the committed snapshot {@code key} over {@code parent} exists, filling it once with {@code filler}. */
  SnapshotInfo unpack(String key, String parent, LayerFiller filler);

  /** Creates the active snapshot {@code key} over the committed {@code parent} (null: empty) and returns its mounts. */
  List<Mount> prepare(String key, String parent);

  /** The mounts that show snapshot {@code key}: writable for an active one, read-only for a committed one. */
  List<Mount> mounts(String key);

  /** Removes an active snapshot (it must not be mounted). */
  void remove(String key);

  /** What the active snapshot {@code key} changed against its parent, as {@code docker diff} lists it. */
  List<Change> changes(String key);

  /** Writes {@code changes} of active snapshot {@code key} as an OCI layer tar (deletions as whiteouts). */
  void writeLayer(String key, List<Change> changes, OutputStream out, io.strata.layer.WriteOptions options);

  /**
   * Turns the unmounted active snapshot {@code active} into the committed snapshot {@code key}
   * over {@code parent}, when this driver can do so without unpacking (overlay: its upper directory
   * is the layer's own files, whiteouts included); returns false when it cannot. {@code active} is
   * left to be removed.
   */
  boolean promote(String active, String key, String parent);

  /**
   * The directory of the active snapshot {@code key}'s own files, when writing there while it is
   * not mounted equals writing through its mounts for paths no layer below has: overlay's upper
   * directory. Empty for the native driver.
   */
  java.util.Optional<java.nio.file.Path> ownFiles(String key);

  /** Bytes the snapshot itself holds (its own directory, not its parents). */
  long usage(String key);
}
