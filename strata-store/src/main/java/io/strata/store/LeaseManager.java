package io.strata.store;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Digest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Leases in the metadata database: table {@code leases}, their blobs as {@code refs} of kind "lease". */
public final class LeaseManager {
  /** Loaded on first lease, not on every store open. */
  private static final class Ids {
    static final SecureRandom RANDOM = new SecureRandom();
  }

  private final MetadataDb db;
  private final Clock clock;

  LeaseManager(MetadataDb db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A new lease that expires after {@code ttl} even if never closed (a crashed process's lease). */
  public Lease create(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) throw new InvalidArgumentException("lease: ttl must be positive: " + ttl);
    byte[] raw = new byte[12];
    Ids.RANDOM.nextBytes(raw);
    String id = HexFormat.of().formatHex(raw);
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    db.write(tx -> tx.update("INSERT INTO leases(id, created_at, expires_at, owner_pid, owner_start) VALUES (?, ?, ?, ?, ?)",
        id, now.toEpochMilli(), expires.toEpochMilli(), SELF.pid(), SELF.start()));
    return new Lease(id, expires, this);
  }

  /** Ids of leases not yet expired. */
  public List<String> list() {
    return db.read(tx -> tx.query("SELECT id FROM leases WHERE expires_at > ? ORDER BY id",
        rs -> rs.getString(1), clock.millis()));
  }

  /** Removes a lease and its references; idempotent. */
  public void delete(String id) {
    db.write(tx -> {
      tx.update("DELETE FROM refs WHERE owner_kind = ? AND owner_id = ?", RefOwners.LEASE, id);
      return tx.update("DELETE FROM leases WHERE id = ?", id);
    });
  }

  /** Records that {@code digest} is being written under {@code lease}. */
  public void protect(Lease lease, Digest digest) {
    db.write(tx -> {
      boolean live = tx.queryFirst("SELECT 1 FROM leases WHERE id = ? AND expires_at > ?",
          rs -> true, lease.id(), clock.millis()).isPresent();
      if (!live) throw new FailedPreconditionException("lease " + lease.id() + ": expired or removed (blob " + digest + ")");
      return tx.update("INSERT OR IGNORE INTO refs(owner_kind, owner_id, digest) VALUES (?, ?, ?)",
          RefOwners.LEASE, lease.id(), digest);
    });
  }

  /** Drops expired leases and those whose owner process is gone, with their references; returns how many went. */
  int removeExpired(Tx tx) {
    long now = clock.millis();
    List<String> dead = deadOwners(tx);
    for (String id : dead) {
      tx.update("DELETE FROM refs WHERE owner_kind = ? AND owner_id = ?", RefOwners.LEASE, id);
      tx.update("DELETE FROM leases WHERE id = ?", id);
    }
    tx.update("DELETE FROM refs WHERE owner_kind = ? AND owner_id IN (SELECT id FROM leases WHERE expires_at <= ?)",
        RefOwners.LEASE, now);
    return dead.size() + tx.update("DELETE FROM leases WHERE expires_at <= ?", now);
  }

  /** Drops expired and orphaned leases only when there are some, so that a read-only command does not write. */
  void removeExpired() {
    boolean any = db.read(tx -> tx.queryFirst("SELECT 1 FROM leases WHERE expires_at <= ?", rs -> true, clock.millis())
        .isPresent() || !deadOwners(tx).isEmpty());
    if (any) db.write(this::removeExpired);
  }

  /** What a lease's owner is: {@code pid} and its start time, to tell a reused pid from the owner. */
  record Owner(long pid, long start) {
    boolean alive() {
      if (pid <= 0) return true; // a lease of an older store, without an owner: it expires instead
      return ProcessHandle.of(pid).map(p -> p.isAlive()
          && p.info().startInstant().map(s -> Math.abs(s.toEpochMilli() - start) < 1000).orElse(true)).orElse(false);
    }
  }

  static final Owner SELF = new Owner(ProcessHandle.current().pid(),
      ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L));

  private static List<String> deadOwners(Tx tx) {
    return tx.query("SELECT id, owner_pid, owner_start FROM leases", rs -> new String[] {rs.getString(1),
            Long.toString(rs.getLong(2)), Long.toString(rs.getLong(3))}).stream()
        .filter(r -> !new Owner(Long.parseLong(r[1]), Long.parseLong(r[2])).alive()).map(r -> r[0]).toList();
  }

  /** Each lease, its owner and the blobs it holds, for fsck. */
  public List<String> describe() {
    return db.read(tx -> tx.query("SELECT l.id, l.owner_pid, l.owner_start, l.expires_at, "
        + "(SELECT count(*) FROM refs r WHERE r.owner_kind = 'lease' AND r.owner_id = l.id) FROM leases l ORDER BY l.id",
        rs -> {
          Owner o = new Owner(rs.getLong(2), rs.getLong(3));
          return "lease " + rs.getString(1) + ": owner pid " + o.pid() + (o.alive() ? " (running)" : " (gone)")
              + ", holds " + rs.getLong(5) + " blobs, expires " + Instant.ofEpochMilli(rs.getLong(4));
        }));
  }
}
