package io.strata.snapshot;

import io.strata.errdefs.AlreadyExistsException;
import io.strata.errdefs.NotFoundException;
import io.strata.store.FileTrees;
import io.strata.store.MetadataDb;
import io.strata.store.Tx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The rows and directories of one driver's snapshots: {@code snapshots/<driver>/<dir>/}. A snapshot
 * is filled in a private ingest directory and then renamed into place and recorded in one write
 * transaction, so a row always names a complete directory; a directory without a row (a crash
 * before the commit or during a removal) is garbage that {@link SnapshotSweeper} removes.
 */
final class SnapshotRepository {
  static final String INGEST = "ingest";

  private final String driver;
  private final Path base;
  private final MetadataDb db;

  SnapshotRepository(String driver, Path snapshotsRoot, MetadataDb db) {
    this.driver = driver;
    this.base = snapshotsRoot.resolve(driver);
    this.db = db;
    try {
      Files.createDirectories(base.resolve(INGEST));
    } catch (IOException e) {
      throw new UncheckedIOException("snapshots: create " + base, e);
    }
  }

  String driver() {
    return driver;
  }

  Optional<SnapshotInfo> get(String key) {
    return db.read(tx -> get(tx, key));
  }

  Optional<SnapshotInfo> get(Tx tx, String key) {
    return tx.queryFirst("SELECT key, dir, parent, kind FROM snapshots WHERE driver = ? AND key = ?",
        rs -> new SnapshotInfo(driver, rs.getString(1), base.resolve(rs.getString(2)), rs.getString(3),
            SnapshotKind.of(rs.getString(4))), driver, key);
  }

  SnapshotInfo require(String key) {
    return get(key).orElseThrow(() -> new NotFoundException("snapshot " + key + " (" + driver + ") does not exist"));
  }

  /** {@code key} and its ancestors, topmost first. */
  List<SnapshotInfo> chain(String key) {
    return db.read(tx -> {
      List<SnapshotInfo> chain = new ArrayList<>();
      for (String k = key; k != null; ) {
        String current = k;
        SnapshotInfo info = get(tx, k).orElseThrow(() ->
            new NotFoundException("snapshot " + current + " (" + driver + ") does not exist"));
        chain.add(info);
        k = info.parent();
      }
      return chain;
    });
  }

  /** A fresh private directory to fill; its name carries our pid so a sweep spares it while we live. */
  Path newIngestDir() {
    String name = ProcessHandle.current().pid() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    try {
      return Files.createDirectory(base.resolve(INGEST).resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("snapshots: create ingest directory", e);
    }
  }

  /**
   * Moves the filled {@code ingest} directory into place as snapshot {@code key}. When the key
   * already exists: a committed snapshot was unpacked meanwhile by someone else (ours is discarded,
   * theirs returned); an active one is an error.
   */
  SnapshotInfo commit(Path ingest, String key, String parent, SnapshotKind kind) {
    String dirName = ingest.getFileName().toString();
    Optional<SnapshotInfo> existing = db.write(tx -> {
      Optional<SnapshotInfo> there = get(tx, key);
      if (there.isPresent()) return there;
      try {
        Files.move(ingest, base.resolve(dirName), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("snapshots: move " + ingest + " into place", e);
      }
      tx.update("INSERT INTO snapshots (driver, key, dir, parent, kind, created) VALUES (?, ?, ?, ?, ?, ?)",
          driver, key, dirName, parent, kind.column(), Instant.now().toString());
      return Optional.<SnapshotInfo>empty();
    });
    if (existing.isPresent()) {
      discard(ingest);
      if (kind == SnapshotKind.ACTIVE) throw new AlreadyExistsException("snapshot " + key + " already exists");
      return existing.get();
    }
    return new SnapshotInfo(driver, key, base.resolve(dirName), parent, kind);
  }

  /**
   * Makes the files of the (unmounted) active snapshot {@code active} the committed snapshot
   * {@code key} over {@code parent}, by moving them; nothing when {@code key} already exists.
   */
  void promote(String active, String key, String parent) {
    SnapshotInfo from = require(active);
    Path ingest = newIngestDir();
    try {
      Files.move(from.fs(), ingest.resolve("fs"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      discard(ingest);
      throw new UncheckedIOException("snapshots: promote " + active, e);
    }
    commit(ingest, key, parent, SnapshotKind.COMMITTED);
  }

  /** Forgets the snapshot, then deletes its directory (a crash in between leaves garbage for the sweep). */
  void remove(String key) {
    Optional<SnapshotInfo> removed = db.write(tx -> {
      Optional<SnapshotInfo> info = get(tx, key);
      info.ifPresent(i -> tx.update("DELETE FROM snapshots WHERE driver = ? AND key = ?", driver, key));
      return info;
    });
    removed.ifPresent(i -> discard(i.dir()));
  }

  void discard(Path dir) {
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("snapshots: delete " + dir, e);
    }
  }
}
