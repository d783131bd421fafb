package io.strata.snapshot;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.layer.WhiteoutMode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * For hosts without overlayfs: every snapshot is a whole root. A committed snapshot starts as a
 * hardlinked copy of its parent (safe: applying a layer never writes into an existing file, it
 * replaces it), an active one as a real copy (reflinked where the filesystem can), since a
 * container writes into files in place.
 */
public final class NativeSnapshotter extends RepositorySnapshotter {
  public static final String DRIVER = "native";

  NativeSnapshotter(SnapshotRepository repo) {
    super(repo);
  }

  @Override
  public SnapshotInfo unpack(String key, String parent, LayerFiller filler) {
    Optional<SnapshotInfo> existing = repo.get(key);
    if (existing.isPresent()) return existing.get();
    Path ingest = repo.newIngestDir();
    try {
      Path fs = copyParent(parent, ingest, "-al");
      filler.fill(fs, WhiteoutMode.DELETE, List.of());
    } catch (RuntimeException e) {
      repo.discard(ingest);
      throw e;
    }
    return repo.commit(ingest, key, parent, SnapshotKind.COMMITTED);
  }

  @Override
  public List<Mount> prepare(String key, String parent) {
    Path ingest = repo.newIngestDir();
    try {
      copyParent(parent, ingest, "-a", "--reflink=auto");
    } catch (RuntimeException e) {
      repo.discard(ingest);
      throw e;
    }
    repo.commit(ingest, key, parent, SnapshotKind.ACTIVE);
    return mounts(key);
  }

  /** {@code ingest/fs}: empty, or the parent's root copied with cp(1) and {@code flags}. */
  private Path copyParent(String parent, Path ingest, String... flags) {
    Path fs = ingest.resolve("fs");
    try {
      if (parent == null) return Files.createDirectory(fs);
      Path source = repo.require(parent).fs();
      List<String> cmd = new java.util.ArrayList<>(List.of("cp"));
      cmd.addAll(List.of(flags));
      cmd.addAll(List.of("--", source.toString(), fs.toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (p.waitFor() != 0) throw new FailedPreconditionException("native snapshot: copy " + source + ": " + out);
      return fs;
    } catch (IOException e) {
      throw new UncheckedIOException("native snapshot: copy of " + parent, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailedPreconditionException("native snapshot: interrupted");
    }
  }

  @Override
  public List<Mount> mounts(String key) {
    SnapshotInfo info = repo.require(key);
    return List.of(new Mount("bind", info.fs().toString(),
        List.of("rbind", info.kind() == SnapshotKind.ACTIVE ? "rw" : "ro")));
  }

  /** A native snapshot holds its whole root, the init layer's files included: the layer is unpacked instead. */
  @Override
  public boolean promote(String active, String key, String parent) {
    return false;
  }

  @Override
  public List<Change> changes(String key) {
    SnapshotInfo info = repo.require(key);
    Path parent = info.parent() == null ? null : repo.require(info.parent()).fs();
    return new NativeChanges(info.fs(), parent).compute();
  }

  @Override
  public java.util.Optional<java.nio.file.Path> ownFiles(String key) {
    return java.util.Optional.empty(); // a full copy: there is no layer of its own to write into
  }

  @Override
  public void writeLayer(String key, List<Change> changes, OutputStream out, io.strata.layer.WriteOptions options) {
    ChangeWriter.write(repo.require(key).fs(), changes, dir -> false, out, options);
  }
}
