package io.strata.build;

import io.strata.store.FileTrees;
import io.strata.oci.Digest;
import io.strata.store.RefOwners;
import io.strata.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The build cache as {@code system df} and {@code builder prune} see it: the layer cache's entries
 * (a step's key and the layer it made) and the directories of {@code RUN --mount=type=cache}.
 * An entry whose layer no image has is dangling; pruning drops entries (dangling ones, or all with
 * {@code all}) and every cache mount not in use, and the store's collection then frees the blobs
 * nothing else holds.
 */
public final class BuildCacheAdmin {
  private final Store store;

  public BuildCacheAdmin(Store store) {
    this.store = store;
  }

  /** Entries and cache mounts; {@code active}: entries whose layer an image has; bytes of their distinct blobs and the mounts. */
  public record Usage(int total, int active, long bytes, long reclaimable) {}

  private record Entry(String key, Digest blob, boolean inImage) {}

  public Usage usage() {
    List<Entry> entries = entries();
    long bytes = 0;
    long reclaimable = 0;
    Set<Digest> seen = new HashSet<>();
    for (Entry e : entries) {
      if (!seen.add(e.blob())) continue;
      long size = store.content().info(e.blob()).map(b -> b.size()).orElse(0L);
      bytes += size;
      if (!e.inImage()) reclaimable += size;
    }
    List<Path> mounts = mounts();
    long mountBytes = mounts.stream().mapToLong(FileTrees::apparentSize).sum();
    int active = (int) entries.stream().filter(Entry::inImage).count();
    return new Usage(entries.size() + mounts.size(), active, bytes + mountBytes, reclaimable + mountBytes);
  }

  /** What a prune removed: entries, cache mounts, and the bytes of the mounts (blobs are freed by the next collection). */
  public record Pruned(int entries, int mounts, long mountBytes) {}

  public Pruned prune(boolean all) {
    int removed = store.db().write(tx -> {
      int n = 0;
      for (Entry e : entries()) {
        if (e.inImage() && !all) continue;
        tx.update("DELETE FROM build_cache WHERE key = ?", e.key());
        store.images().removeRefs(tx, RefOwners.BUILD_CACHE, e.key());
        n++;
      }
      if (all) tx.update("DELETE FROM context_files");
      return n;
    });
    int mounts = 0;
    for (Path m : mounts()) {
      try (CacheMountLocks.Lease lease = CacheMountLocks.acquire(m.resolveSibling(m.getFileName() + ".lock"), "private")) {
        if (lease == null) continue; // a build is using it
        if (store.trash().put(m)) mounts++; // deleted below, with no lock held
      }
    }
    return new Pruned(removed, mounts, store.trash().empty());
  }

  private List<Entry> entries() {
    return store.db().read(tx -> tx.query("SELECT key, blob_digest, EXISTS (SELECT 1 FROM image_layers l WHERE l.blob_digest = c.blob_digest)"
        + " FROM build_cache c ORDER BY key", rs -> new Entry(rs.getString(1), Digest.parse(rs.getString(2)), rs.getInt(3) != 0)));
  }

  private List<Path> mounts() {
    Path dir = store.root().resolve("build-mounts");
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("list " + dir, e);
    }
  }
}
