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
 * as a safety net, every digest the image tables name. The mark and the sweep run inside one write
 * transaction: a concurrent commit under a lease records its reference first and so waits for the
 * sweep to finish, and can never lose its blob. Orphaned ingest temp files are removed as well.
 */
public final class GarbageCollector {
  private final MetadataDb db;
  private final LocalContentStore content;
  private final LeaseManager leases;
  private final Set<Sweeper> sweepers = new java.util.concurrent.CopyOnWriteArraySet<>(); // equal ones once

  /** State kept outside the blob store (unpacked layers) that a collection also sweeps, in its transaction. */
  public interface Sweeper {
    /** Removes what nothing uses any more; returns the bytes freed. */
    long sweep(Tx tx);
  }

  GarbageCollector(MetadataDb db, LocalContentStore content, LeaseManager leases) {
    this.db = db;
    this.content = content;
    this.leases = leases;
  }

  public void addSweeper(Sweeper sweeper) {
    sweepers.add(sweeper);
  }

  public GcReport collect() {
    return db.write(tx -> {
      leases.removeExpired(tx);
      Set<Digest> live = mark(tx);
      List<BlobInfo> garbage = new ArrayList<>();
      content.walk(blob -> {
        if (!live.contains(blob.digest())) garbage.add(blob);
      });
      long reclaimed = 0;
      List<Digest> deleted = new ArrayList<>();
      for (BlobInfo blob : garbage) {
        content.delete(blob.digest());
        deleted.add(blob.digest());
        reclaimed += blob.size();
      }
      removeOrphanTempFiles();
      for (Sweeper s : sweepers) reclaimed += s.sweep(tx);
      deleted.sort(null);
      return new GcReport(deleted, reclaimed);
    });
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
    return live;
  }

  private void removeOrphanTempFiles() {
    try {
      content.removeOrphanTempFiles();
    } catch (IOException e) {
      throw new UncheckedIOException("gc: clean ingest directory", e);
    }
  }
}
