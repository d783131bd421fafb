package io.strata.registry;

import io.strata.oci.Digest;
import io.strata.store.Tx;
import java.util.Collection;
import java.util.List;

/**
 * Where blobs are known to be in registries, from pulls and pushes (table {@code blob_sources}): a
 * push to another repository of the same registry mounts them from there instead of uploading.
 */
final class BlobSources {
  private BlobSources() {}

  static void record(Tx tx, String registry, String repository, Collection<Digest> blobs) {
    for (Digest d : blobs) {
      tx.update("INSERT OR IGNORE INTO blob_sources(digest, registry, repository) VALUES (?, ?, ?)", d, registry, repository);
    }
  }

  /** Repositories of {@code registry} that had {@code blob}, most recently recorded last. */
  static List<String> repositories(Tx tx, String registry, Digest blob) {
    return tx.query("SELECT repository FROM blob_sources WHERE digest = ? AND registry = ? ORDER BY repository",
        rs -> rs.getString(1), blob, registry);
  }
}
