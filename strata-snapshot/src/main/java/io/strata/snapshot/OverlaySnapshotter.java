package io.strata.snapshot;

import io.strata.layer.WhiteoutMode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kernel overlayfs: each committed snapshot holds only its own layer's files, whiteouts in the
 * kernel's form; an active snapshot is an upper and a work directory mounted over its parents'
 * directories as lower layers (each passed as its own {@code lowerdir+} option, so there is no
 * limit on the chain's length).
 */
public final class OverlaySnapshotter extends RepositorySnapshotter {
  public static final String DRIVER = "overlay";

  OverlaySnapshotter(SnapshotRepository repo) {
    super(repo);
  }

  @Override
  public SnapshotInfo unpack(String key, String parent, LayerFiller filler) {
    Optional<SnapshotInfo> existing = repo.get(key);
    if (existing.isPresent()) return existing.get();
    List<Path> lowers = parent == null ? List.of() : repo.chain(parent).stream().map(SnapshotInfo::fs).toList();
    Path ingest = repo.newIngestDir();
    try {
      filler.fill(Files.createDirectory(ingest.resolve("fs")), WhiteoutMode.OVERLAY, lowers);
    } catch (IOException | RuntimeException e) {
      repo.discard(ingest);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return repo.commit(ingest, key, parent, SnapshotKind.COMMITTED);
  }

  @Override
  public List<Mount> prepare(String key, String parent) {
    if (parent != null) repo.require(parent);
    Path ingest = repo.newIngestDir();
    try {
      Files.createDirectory(ingest.resolve("fs"));
      Files.createDirectory(ingest.resolve("work"));
    } catch (IOException e) {
      repo.discard(ingest);
      throw new UncheckedIOException("snapshot " + key + ": create upper directory", e);
    }
    repo.commit(ingest, key, parent, SnapshotKind.ACTIVE);
    return mounts(key);
  }

  @Override
  public List<Mount> mounts(String key) {
    List<SnapshotInfo> chain = repo.chain(key);
    SnapshotInfo top = chain.getFirst();
    List<SnapshotInfo> lowers = top.kind() == SnapshotKind.ACTIVE ? chain.subList(1, chain.size()) : chain;
    if (lowers.isEmpty()) return List.of(new Mount("bind", top.fs().toString(), List.of("rbind", "rw")));
    if (top.kind() == SnapshotKind.COMMITTED && lowers.size() == 1) {
      return List.of(new Mount("bind", top.fs().toString(), List.of("rbind", "ro")));
    }
    List<String> options = new ArrayList<>();
    for (SnapshotInfo lower : lowers) options.add("lowerdir+=" + lower.fs());
    if (top.kind() == SnapshotKind.ACTIVE) {
      options.add("upperdir=" + top.fs());
      options.add("workdir=" + top.dir().resolve("work"));
    }
    return List.of(new Mount("overlay", "overlay", options));
  }

  @Override
  public java.util.Optional<java.nio.file.Path> ownFiles(String key) {
    SnapshotInfo s = repo.require(key);
    return s.kind() == SnapshotKind.ACTIVE ? java.util.Optional.of(s.fs()) : java.util.Optional.empty();
  }

  @Override
  public boolean promote(String active, String key, String parent) {
    if (repo.get(key).isEmpty()) repo.promote(active, key, parent);
    return true;
  }

  @Override
  public List<Change> changes(String key) {
    List<SnapshotInfo> chain = repo.chain(key);
    List<Path> lowers = chain.subList(1, chain.size()).stream().map(SnapshotInfo::fs).toList();
    return new OverlayChanges(chain.getFirst().fs(), lowers).compute();
  }

  @Override
  public void writeLayer(String key, List<Change> changes, OutputStream out, io.strata.layer.WriteOptions options) {
    ChangeWriter.write(repo.require(key).fs(), changes, OverlayChanges::isOpaque, out, options);
  }
}
