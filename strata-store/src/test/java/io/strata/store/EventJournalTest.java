package io.strata.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event journal: appends with their transaction, sequence order, and its bounds (count and age). */
class EventJournalTest {
  @TempDir Path dir;

  /** A clock the test moves. */
  private static final class Hands extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00.000000001Z"));

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void anAppendCommitsWithItsTransactionOrNotAtAll() {
    try (Store s = Store.open(dir)) {
      s.events().append(Event.of(Event.IMAGE, "tag", "sha256:1", Map.of("name", "a:1")));
      assertThrows(RuntimeException.class, () -> s.db().write(tx -> {
        s.events().append(tx, Event.of(Event.IMAGE, "tag", "sha256:2", Map.of("name", "b:1")));
        throw new IllegalStateException("the change failed");
      }));
      List<Event> all = s.events().after(0, null, null, 100);
      assertEquals(1, all.size());
      assertEquals(Map.of("name", "a:1"), all.getFirst().attributes());
      assertEquals(all.getFirst().seq(), s.events().lastSeq());
    }
  }

  @Test
  void keepsTheNewestEventsAndNoneOlderThanItsAge() {
    Hands clock = new Hands();
    try (Store s = Store.open(dir, clock)) {
      int total = EventJournal.MAX_EVENTS + 3 * EventJournal.TRIM_EVERY;
      s.db().write(tx -> {
        for (int i = 1; i <= total; i++) {
          clock.now.set(clock.now.get().plusMillis(1));
          s.events().append(tx, Event.of(Event.CONTAINER, "start", "c" + i, Map.of()));
        }
        return null;
      });
      List<Event> kept = s.events().after(0, null, null, 2 * total);
      assertTrue(kept.size() <= EventJournal.MAX_EVENTS + EventJournal.TRIM_EVERY, "bounded: " + kept.size());
      assertTrue(kept.size() >= EventJournal.MAX_EVENTS, "the newest are kept: " + kept.size());
      assertEquals("c" + total, kept.getLast().actorId());

      clock.now.set(clock.now.get().plus(EventJournal.MAX_AGE).plus(Duration.ofMinutes(1)));
      for (int i = 0; i < EventJournal.TRIM_EVERY; i++) s.events().append(Event.of(Event.IMAGE, "tag", "new" + i, Map.of()));
      List<Event> fresh = s.events().after(0, null, null, 2 * total);
      assertTrue(fresh.stream().allMatch(e -> e.actorId().startsWith("new")), "a week-old event is gone");
      assertTrue(fresh.getLast().seq() > total, "sequence numbers are never reused");
    }
  }

  @Test
  void sinceAndUntilBoundTheTimesBothInclusive() {
    Hands clock = new Hands();
    try (Store s = Store.open(dir, clock)) {
      Instant t0 = clock.instant();
      for (int i = 0; i < 5; i++) {
        clock.now.set(t0.plusSeconds(i));
        s.events().append(Event.of(Event.VOLUME, "create", "v" + i, Map.of("driver", "local")));
      }
      List<String> ids = s.events().after(0, t0.plusSeconds(1), t0.plusSeconds(3), 100).stream().map(Event::actorId).toList();
      assertEquals(List.of("v1", "v2", "v3"), ids);
      assertEquals(t0.plusSeconds(2), s.events().after(0, t0.plusSeconds(2), null, 1).getFirst().time());
    }
  }

  @Test
  void concurrentAppendersGetDistinctSequenceNumbersInTimeOrder() throws Exception {
    try (Store s = Store.open(dir); var pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) s.events().append(Event.of(Event.CONTAINER, "start", thread + "-" + i, Map.of()));
        }));
      }
      for (Future<?> f : done) f.get();
      List<Event> all = s.events().after(0, null, null, 1000);
      assertEquals(200, all.size());
      for (int i = 1; i < all.size(); i++) {
        assertTrue(all.get(i).seq() > all.get(i - 1).seq());
        assertTrue(all.get(i).timeNano() >= all.get(i - 1).timeNano(), "sequence order is time order");
      }
    }
  }
}
