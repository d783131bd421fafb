package io.strata.build;

import io.strata.oci.Digester;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The content digests of a build context's files, with a stat cache in front: while a file's
 * size, mtime (ns) and inode are unchanged, its recorded digest is used instead of reading it.
 * A file modified in the last two seconds is never recorded (its mtime could still repeat).
 */
final class ContentHashes {
  private record Stat(long size, long mtimeNs, long inode) {
    // by hand: a record's generated equals goes through invokedynamic, slow while interpreted (20,000 calls per build)
    boolean same(Stat o) {
      return size == o.size && mtimeNs == o.mtimeNs && inode == o.inode;
    }
  }

  private record Known(Stat stat, String digest) {}

  private final Store store;
  // loaded in the background: the context walk that needs it first runs meanwhile
  private final java.util.concurrent.CompletableFuture<Map<String, Known>> known;
  private final Map<String, Known> fresh = new java.util.concurrent.ConcurrentHashMap<>();

  ContentHashes(Store store, Path root) {
    this.store = store;
    String prefix = root + "/";
    this.known = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      Map<String, Known> m = new java.util.concurrent.ConcurrentHashMap<>(); // stages may hash side by side
      store.db().read(tx -> tx.query("SELECT path, size, mtime_ns, inode, digest FROM context_files WHERE path >= ? AND path < ?",
          rs -> m.put(rs.getString(1), new Known(new Stat(rs.getLong(2), rs.getLong(3), rs.getLong(4)), rs.getString(5))),
          prefix, root + "0")); // '0' follows '/': every path under root/
      return m;
    }, r -> Thread.ofVirtual().start(r));
  }

  /** The content digest of {@code file}, whose attributes {@code a} (unix:size,lastModifiedTime,ino) were just read. */
  String digest(Path file, Map<String, Object> a) throws IOException {
    FileTime mtime = (FileTime) a.get("lastModifiedTime");
    Stat stat = new Stat((Long) a.get("size"), mtime.to(TimeUnit.NANOSECONDS), (Long) a.get("ino"));
    Known k = known.join().get(file.toString());
    if (k != null && k.stat().same(stat)) return k.digest();
    Digester d = Digester.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
    }
    String digest = d.digest().toString();
    if (mtime.toInstant().isBefore(Instant.now().minusSeconds(2))) fresh.put(file.toString(), new Known(stat, digest));
    return digest;
  }

  /** Records what was hashed, in one transaction. */
  void save() {
    if (fresh.isEmpty()) return;
    store.db().write(tx -> {
      for (Map.Entry<String, Known> e : fresh.entrySet()) {
        Known k = e.getValue();
        tx.update("INSERT OR REPLACE INTO context_files (path, size, mtime_ns, inode, digest) VALUES (?, ?, ?, ?, ?)",
            e.getKey(), k.stat().size(), k.stat().mtimeNs(), k.stat().inode(), k.digest());
      }
      return null;
    });
    known.join().putAll(fresh);
    fresh.clear();
  }
}
