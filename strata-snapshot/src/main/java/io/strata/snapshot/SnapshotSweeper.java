package io.strata.snapshot;

import io.strata.oci.ChainIds;
import io.strata.oci.Digest;
import io.strata.store.GarbageCollector;
import io.strata.store.Trash;
import io.strata.store.Tx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Garbage collection of unpacked layers, for every driver, inside the store's collection
 * transaction: a committed snapshot stays while an image's layer chain or an active snapshot
 * (a container) stands on it; directories without a row, and ingest directories of dead
 * processes, go too. They are moved into the store's trash there and deleted after the transaction.
 */
record SnapshotSweeper(Path root) implements GarbageCollector.Sweeper {

  @Override
  public void sweep(Tx tx, Trash trash) {
    Set<String> live = liveChains(tx);
    record Row(String driver, String key, String dir, String parent, String kind) {}
    List<Row> rows = tx.query("SELECT driver, key, dir, parent, kind FROM snapshots",
        rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
    Map<String, Row> byKey = new HashMap<>();
    for (Row r : rows) byKey.put(r.driver + " " + r.key, r);
    Set<String> keep = new HashSet<>();
    for (Row r : rows) {
      if (!r.kind.equals("active") && !live.contains(r.key)) continue;
      for (Row cur = r; cur != null && keep.add(cur.driver + " " + cur.key); ) {
        cur = cur.parent == null ? null : byKey.get(cur.driver + " " + cur.parent);
      }
    }
    Set<Path> kept = new HashSet<>();
    for (Row r : rows) {
      if (keep.contains(r.driver + " " + r.key)) {
        kept.add(root.resolve(r.driver).resolve(r.dir));
      } else {
        tx.update("DELETE FROM snapshots WHERE driver = ? AND key = ?", r.driver, r.key);
      }
    }
    trashDirs(kept, trash);
  }

  /** chainIDs of every stored image's layers. */
  private static Set<String> liveChains(Tx tx) {
    Map<String, List<Digest>> diffIds = new LinkedHashMap<>();
    tx.query("SELECT image_id, diff_id FROM image_layers ORDER BY image_id, idx",
        rs -> diffIds.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(Digest.parse(rs.getString(2))));
    Set<String> live = new HashSet<>();
    for (List<Digest> ids : diffIds.values()) {
      for (Digest d : ChainIds.chainIds(ids)) live.add(d.toString());
    }
    return live;
  }

  private void trashDirs(Set<Path> kept, Trash trash) {
    if (!Files.isDirectory(root)) return; // no snapshot was ever made in this store
    try (DirectoryStream<Path> drivers = Files.newDirectoryStream(root)) {
      for (Path driver : drivers) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(driver)) {
          for (Path dir : dirs) {
            if (dir.getFileName().toString().equals(SnapshotRepository.INGEST)) {
              trashDeadIngests(dir, trash);
            } else if (!kept.contains(dir)) {
              trash.put(dir);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("sweep snapshots in " + root, e);
    }
  }

  private static void trashDeadIngests(Path ingest, Trash trash) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ingest)) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        int dash = name.indexOf('-');
        long pid = dash > 0 ? parsePid(name.substring(0, dash)) : -1;
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
        trash.put(dir);
      }
    }
  }

  private static long parsePid(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
