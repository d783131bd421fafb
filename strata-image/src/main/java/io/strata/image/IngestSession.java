package io.strata.image;

import io.strata.oci.Digest;
import io.strata.store.BlobInfo;
import io.strata.store.BlobWriter;
import io.strata.store.Lease;
import io.strata.store.Store;
import io.strata.store.Tx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Blobs written for one command (load, import) under one lease. Closing drops the lease and
 * deletes the blobs this session created that nothing references by then: after a failure that
 * is all of them, so the store is exactly as before; after success, only archive members that no
 * recorded image uses.
 */
final class IngestSession implements AutoCloseable {
  private static final Duration TTL = Duration.ofHours(24);

  private final Store store;
  private final Lease lease;
  private final Set<Digest> created = java.util.Collections.synchronizedSet(new LinkedHashSet<>()); // a build's stages write side by side

  IngestSession(Store store) {
    this.store = store;
    this.lease = store.leases().create(TTL);
  }

  /** Streams {@code in} (not closed) into the store; {@code expected} may be null. */
  BlobInfo write(InputStream in, Digest expected) throws IOException {
    try (BlobWriter w = store.content().writer(lease)) {
      in.transferTo(w.stream());
      Digest actual = w.digest();
      boolean existed = store.content().exists(actual);
      BlobInfo info = w.commit(w.written(), expected);
      if (!existed) created.add(info.digest());
      return info;
    }
  }

  /** A writer under this session's lease; pass what it commits to {@link #committed}. */
  BlobWriter writer() {
    return store.content().writer(lease);
  }

  /** Records a blob committed through {@link #writer()} as this session's (removed on close unless referenced). */
  BlobInfo committed(BlobInfo info) {
    created.add(info.digest());
    return info;
  }

  BlobInfo put(byte[] bytes) {
    Digest d = Digest.sha256(bytes);
    boolean existed = store.content().exists(d);
    BlobInfo info = store.content().put(bytes, lease);
    if (!existed) created.add(info.digest());
    return info;
  }

  @Override
  public void close() {
    lease.close();
    if (created.isEmpty()) return;
    store.db().write(tx -> {
      for (Digest d : created) {
        if (!referenced(tx, d)) store.content().delete(d);
      }
      return null;
    });
  }

  /**
   * Whether anything still keeps {@code d} alive: the same roots as the store's garbage collector
   * (refs of images and live leases, and the digests the image tables name). Runs inside the write
   * transaction, so no other process can start referencing it meanwhile.
   */
  private static boolean referenced(Tx tx, Digest d) {
    String s = d.toString();
    return tx.queryFirst("SELECT 1 FROM refs WHERE digest = ? AND (owner_kind <> 'lease' OR owner_id IN "
            + "(SELECT id FROM leases)) UNION ALL SELECT 1 FROM images WHERE id = ? OR manifest_digest = ? "
            + "UNION ALL SELECT 1 FROM image_layers WHERE blob_digest = ?", rs -> true, s, s, s, s)
        .isPresent();
  }

  static UncheckedIOException io(String what, IOException e) {
    return new UncheckedIOException(what + ": " + e.getMessage(), e);
  }
}
