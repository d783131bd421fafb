package io.strata.store;

import io.strata.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes blobs that nothing reaches. Roots are the {@code refs} rows (of live leases only) plus,
 * as a safety net, every digest the image tables name. The mark and the decision run inside one
 * short write transaction, which moves what goes into the {@link Trash} by rename: a concurrent
 * commit under a lease records its reference first and so waits for the decision, and can never
 * lose its blob. The deleting itself happens after the commit, so no other command waits for it.
 * Orphaned ingest temp files are removed as well.
 */
public final class GarbageCollector {
  private final MetadataDb db;
  private final LocalContentStore content;
  private final LeaseManager leases;
  private final Trash trash;
  private final Set<Sweeper> sweepers = new java.util.concurrent.CopyOnWriteArraySet<>(); // equal ones once

  /**
   * State kept outside the blob store (unpacked layers) that a collection also sweeps, in its
   * transaction: rows are deleted there and directories moved into the trash, never deleted there.
   */
  public interface Sweeper {
    void sweep(Tx tx, Trash trash);
  }

  GarbageCollector(MetadataDb db, LocalContentStore content, LeaseManager leases, Trash trash) {
    this.db = db;
    this.content = content;
    this.leases = leases;
    this.trash = trash;
  }

  public void addSweeper(Sweeper sweeper) {
    sweepers.add(sweeper);
  }

  public GcReport collect() {
    List<Digest> deleted = db.write(tx -> {
      leases.removeExpired(tx);
      Set<Digest> live = mark(tx);
      List<Digest> garbage = new ArrayList<>();
      content.walk(blob -> {
        if (!live.contains(blob.digest())) garbage.add(blob.digest());
      });
      for (Digest d : garbage) trash.put(content.pathOf(d));
      removeOrphanTempFiles();
      for (Sweeper s : sweepers) s.sweep(tx, trash);
      return garbage;
    });
    long reclaimed = trash.empty();
    List<Digest> sorted = new ArrayList<>(deleted);
    sorted.sort(null);
    return new GcReport(sorted, reclaimed);
  }

  /** Every digest some live owner reaches. */
  static Set<Digest> mark(Tx tx) {
    Set<Digest> live = new HashSet<>();
    Tx.RowMapper<Boolean> add = rs -> live.add(Digest.parse(rs.getString(1)));
    tx.query("SELECT digest FROM refs WHERE owner_kind <> ? OR owner_id IN (SELECT id FROM leases)", add,
        RefOwners.LEASE);
    tx.query("SELECT id FROM images", add);
    tx.query("SELECT manifest_digest FROM images", add);
    tx.query("SELECT blob_digest FROM image_layers", add);
    tx.query("SELECT digest FROM repo_digests", add);
    // a layer compressed for a push is kept while an image has the layer (the next push reuses it)
    tx.query("SELECT c.blob_digest FROM compressed_layers c WHERE EXISTS "
        + "(SELECT 1 FROM image_layers l WHERE l.diff_id = c.diff_id)", add);
    return live;
  }

  private void removeOrphanTempFiles() {
    try {
      content.removeOrphanTempFiles(true);
    } catch (IOException e) {
      throw new UncheckedIOException("gc: clean ingest directory", e);
    }
  }
}
