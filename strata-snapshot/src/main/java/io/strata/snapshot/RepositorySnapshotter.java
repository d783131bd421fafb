package io.strata.snapshot;

import java.util.Optional;

/** What both drivers do the same way: snapshots are rows and directories of a {@link SnapshotRepository}. */
abstract sealed class RepositorySnapshotter implements Snapshotter permits OverlaySnapshotter, NativeSnapshotter {
  final SnapshotRepository repo;

  RepositorySnapshotter(SnapshotRepository repo) {
    this.repo = repo;
  }

  @Override
  public String driver() {
    return repo.driver();
  }

  @Override
  public Optional<SnapshotInfo> get(String key) {
    return repo.get(key);
  }

  @Override
  public void remove(String key) {
    repo.remove(key);
  }

  @Override
  public long usage(String key) {
    return io.strata.store.FileTrees.apparentSize(repo.require(key).dir());
  }
}
