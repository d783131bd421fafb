package io.strata.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataDbTest {
  @TempDir Path dir;

  @Test
  void walForeignKeysAndSchemaVersion() {
    try (Store s = Store.open(dir)) {
      List<String> settings = s.db().read(tx -> {
        try (Statement st = tx.connection().createStatement()) {
          List<String> out = new ArrayList<>();
          for (String p : List.of("journal_mode", "foreign_keys", "user_version", "busy_timeout")) {
            try (ResultSet rs = st.executeQuery("PRAGMA " + p)) {
              rs.next();
              out.add(rs.getString(1));
            }
          }
          return out;
        }
      });
      assertEquals(List.of("wal", "1", String.valueOf(Schema.VERSION), "30000"), settings);
    }
  }

  @Test
  void txIsUnusableAfterItEnds() {
    try (Store s = Store.open(dir)) {
      Tx leaked = s.db().read(tx -> tx);
      assertThrows(IllegalStateException.class, leaked::connection);
      assertThrows(IllegalStateException.class,
          () -> s.db().read(tx -> s.db().write(inner -> inner.update("DELETE FROM leases"))));
    }
  }

  @Test
  void nestedWriteJoinsTheOuterTransaction() {
    try (Store s = Store.open(dir)) {
      assertThrows(IllegalStateException.class, () -> s.db().write(tx -> {
        s.leases().create(java.time.Duration.ofMinutes(1)); // joins
        throw new IllegalStateException("abort");
      }));
      assertEquals(List.of(), s.leases().list());
    }
  }

  @Test
  void concurrentWritersOnSeparateConnectionsLoseNothing() throws Exception {
    int writers = 4;
    int perWriter = 50;
    List<Store> stores = new ArrayList<>();
    for (int i = 0; i < writers; i++) stores.add(Store.open(dir)); // one connection each, like processes
    try (var pool = Executors.newFixedThreadPool(writers)) {
      List<Future<?>> done = new ArrayList<>();
      for (Store s : stores) {
        done.add(pool.submit(() -> {
          for (int n = 0; n < perWriter; n++) {
            s.db().write(tx -> {
              int count = tx.queryFirst("SELECT count(*) FROM leases", rs -> rs.getInt(1)).orElseThrow();
              // read-modify-write: only correct if writers are serialised
              return tx.update("INSERT INTO leases(id, created_at, expires_at) VALUES (?, ?, ?)",
                  "c" + count, 0, Long.MAX_VALUE);
            });
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      stores.forEach(Store::close);
    }
    try (Store s = Store.open(dir)) {
      assertEquals(writers * perWriter, s.leases().list().size());
    }
  }

  @Test
  void newerSchemaIsRefused() throws Exception {
    try (Store s = Store.open(dir)) {
      s.db().write(tx -> tx.connection().createStatement().execute("PRAGMA user_version = " + (Schema.VERSION + 1)));
    }
    try (Store s = Store.open(dir)) {
      var e = assertThrows(io.strata.errdefs.FailedPreconditionException.class, () -> s.images().list());
      assertEquals("metadata database: schema version " + (Schema.VERSION + 1)
          + " is newer than this strata supports (" + Schema.VERSION + ")", e.getMessage());
    }
  }

  @Test
  void openingTheStoreDoesNotTouchTheDatabase() {
    try (Store s = Store.open(dir)) {
      assertEquals(false, java.nio.file.Files.exists(s.db().file()));
      s.content().put(new byte[] {1, 2, 3}, null); // no lease: no metadata needed
      assertEquals(false, java.nio.file.Files.exists(s.db().file()));
    }
  }
}
