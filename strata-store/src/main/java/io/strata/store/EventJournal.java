package io.strata.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The store's event journal ({@code strata events}): the {@code events} table of the metadata
 * database, appended to by every command and container monitor. strata has no daemon to hold
 * Docker's in-memory event ring, so the journal is the ring: an append joins the transaction of
 * the change it reports (a container's row and its {@code create} commit together, or neither),
 * which also makes it cheap, as no further commit or fsync is needed. The time is taken inside the
 * write transaction, so sequence order is time order.
 *
 * <p>Bounded: an append now and then ({@link #TRIM_EVERY}) deletes all but the newest
 * {@link #MAX_EVENTS} events and those older than {@link #MAX_AGE}. Readers poll by sequence
 * number ({@link #after}), which is never reused ({@code AUTOINCREMENT}).
 */
public final class EventJournal {
  public static final int MAX_EVENTS = 10_000;
  public static final Duration MAX_AGE = Duration.ofDays(7);
  static final int TRIM_EVERY = 128;

  private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {};

  private final MetadataDb db;
  private final Clock clock;

  EventJournal(MetadataDb db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Appends {@code e} in its own write transaction. */
  public void append(Event e) {
    db.write(tx -> {
      append(tx, e);
      return null;
    });
  }

  /** Appends {@code e} in the caller's write transaction: it is journaled if and only if that commits. */
  public void append(Tx tx, Event e) {
    long now = Event.nanos(clock.instant());
    tx.update("INSERT INTO events(time_nano, type, action, actor, attributes) VALUES (?, ?, ?, ?, ?)",
        now, e.type(), e.action(), e.actorId(), new String(io.strata.oci.Json.write(e.attributes()), StandardCharsets.UTF_8));
    long seq = tx.queryFirst("SELECT last_insert_rowid()", rs -> rs.getLong(1)).orElse(0L);
    if (seq % TRIM_EVERY == 0) {
      tx.update("DELETE FROM events WHERE seq <= ? OR time_nano < ?", seq - MAX_EVENTS, now - MAX_AGE.toNanos());
    }
  }

  /**
   * The events after sequence number {@code afterSeq} whose time is in [{@code since}, {@code until}]
   * (either null: unbounded), oldest first, at most {@code limit}.
   */
  public List<Event> after(long afterSeq, Instant since, Instant until, int limit) {
    long from = since == null ? Long.MIN_VALUE : Event.nanos(since);
    long to = until == null ? Long.MAX_VALUE : Event.nanos(until);
    return db.read(tx -> tx.query("SELECT seq, time_nano, type, action, actor, attributes FROM events "
        + "WHERE seq > ? AND time_nano >= ? AND time_nano <= ? ORDER BY seq LIMIT ?", EventJournal::row, afterSeq, from, to, limit));
  }

  /** The newest sequence number (0 when the journal is empty): a follower starting now reads after it. */
  public long lastSeq() {
    return db.read(tx -> tx.queryFirst("SELECT COALESCE(MAX(seq), 0) FROM events", rs -> rs.getLong(1)).orElse(0L));
  }

  private static Event row(ResultSet rs) throws SQLException {
    Map<String, String> attributes = io.strata.oci.Json.mapper().convertValue(
        io.strata.oci.Json.readTree(rs.getString(6).getBytes(StandardCharsets.UTF_8), "event attributes"), ATTRIBUTES);
    return new Event(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), attributes);
  }
}
