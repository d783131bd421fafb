package io.strata.store;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of the {@link EventJournal}, as Docker's events API has it: what kind of object
 * ({@link #type}: container, image, network, volume), what happened to it ({@link #action}: start,
 * die, tag, ...), its ID, and attributes (name, image, exitCode, the object's labels, ...). The
 * scope is always {@code local}.
 *
 * @param seq the journal's sequence number (0 for an event not yet appended)
 * @param timeNano nanoseconds since the epoch, taken when the event was appended
 */
public record Event(long seq, long timeNano, String type, String action, String actorId, Map<String, String> attributes) {
  public static final String CONTAINER = "container";
  public static final String IMAGE = "image";
  public static final String NETWORK = "network";
  public static final String VOLUME = "volume";

  public Event {
    attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  /** An event to append; its sequence number and time are the journal's. */
  public static Event of(String type, String action, String actorId, Map<String, String> attributes) {
    return new Event(0, 0, type, action, actorId, attributes);
  }

  public Instant time() {
    return Instant.ofEpochSecond(Math.floorDiv(timeNano, 1_000_000_000L), Math.floorMod(timeNano, 1_000_000_000L));
  }

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
