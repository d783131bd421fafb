package io.strata.build;

import io.strata.oci.Digest;
import io.strata.store.RefOwners;
import io.strata.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The layer cache: a step's key to the layer it produced. Keys are content-based: the parent's key,
 * the instruction after expansion, the build args it can see and, for COPY and ADD, the digest of
 * every source's name, mode, owner and bytes (never mtime). A blob the cache names is kept alive by
 * a {@code build-cache} reference.
 */
final class BuildCache {
  private final Store store;

  BuildCache(Store store) {
    this.store = store;
  }

  static String key(String... parts) {
    return Digest.sha256(String.join("\n\u0000", parts).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** A cached step: its layer and when it was first made (a cached rebuild keeps that date, so the same image results). */
  record Entry(Digest blob, Instant created) {}

  Optional<Entry> lookup(String key) {
    return store.db().read(tx -> tx.queryFirst("SELECT blob_digest, created FROM build_cache WHERE key = ?",
        rs -> new Entry(Digest.parse(rs.getString(1)), Instant.parse(rs.getString(2))), key));
  }

  void put(String key, Digest blob, Instant created) {
    store.db().write(tx -> {
      tx.update("INSERT OR REPLACE INTO build_cache (key, blob_digest, created) VALUES (?, ?, ?)", key, blob.toString(),
          created.toString());
      store.images().removeRefs(tx, RefOwners.BUILD_CACHE, key);
      store.images().addRefs(tx, RefOwners.BUILD_CACHE, key, List.of(blob));
      return null;
    });
  }
}
