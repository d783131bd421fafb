package io.strata.runtime.volume;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Json;
import io.strata.store.Event;
import io.strata.store.EventJournal;
import io.strata.store.MetadataDb;
import io.strata.store.Tx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code volumes} table and {@code volume_users}: which container mounts which volume. */
final class VolumeStore {
  private static final String COLUMNS = "name, created, labels, options, anonymous";
  private final MetadataDb db;
  private final EventJournal events;
  private final Path dir;

  VolumeStore(MetadataDb db, EventJournal events, Path dir) {
    this.db = db;
    this.events = events;
    this.dir = dir;
  }

  /** Inserts {@code v} unless a volume of that name exists; returns the stored one. */
  Volume insertIfAbsent(Volume v) {
    return db.write(tx -> {
      Optional<Volume> existing = get(tx, v.name());
      if (existing.isPresent()) return existing.get();
      tx.update("INSERT INTO volumes(" + COLUMNS + ") VALUES (?,?,?,?,?)", v.name(), v.created().toString(),
          json(v.labels()), json(v.options()), v.anonymous() ? 1 : 0);
      events.append(tx, Event.of(Event.VOLUME, "create", v.name(), Map.of("driver", "local")));
      return v;
    });
  }

  Optional<Volume> get(String name) {
    return db.read(tx -> get(tx, name));
  }

  Optional<Volume> get(Tx tx, String name) {
    return tx.queryFirst("SELECT " + COLUMNS + " FROM volumes WHERE name = ?", this::volume, name);
  }

  List<Volume> list() {
    return db.read(tx -> tx.query("SELECT " + COLUMNS + " FROM volumes ORDER BY name", this::volume));
  }

  List<String> users(String name) {
    return db.read(tx -> users(tx, name));
  }

  private static List<String> users(Tx tx, String name) {
    return tx.query("SELECT container_id FROM volume_users WHERE volume = ? ORDER BY container_id", rs -> rs.getString(1), name);
  }

  /** Records that the container mounts these volumes; each must exist. */
  void use(String containerId, List<String> names) {
    db.write(tx -> {
      for (String n : names) {
        if (get(tx, n).isEmpty()) throw new NotFoundException("get " + n + ": no such volume");
        tx.update("INSERT OR IGNORE INTO volume_users(volume, container_id) VALUES (?,?)", n, containerId);
      }
      return null;
    });
  }

  /** Forgets the container's uses; returns the volumes it used. */
  List<String> release(String containerId) {
    return db.write(tx -> {
      List<String> used = tx.query("SELECT volume FROM volume_users WHERE container_id = ?", rs -> rs.getString(1), containerId);
      tx.update("DELETE FROM volume_users WHERE container_id = ?", containerId);
      return used;
    });
  }

  /** Deletes the volume's row in a transaction that also runs {@code then} (moving its files away); refused while in use. */
  void delete(String name, boolean force, Runnable then) {
    db.write(tx -> {
      if (get(tx, name).isEmpty()) {
        if (force) return null;
        throw new NotFoundException("get " + name + ": no such volume");
      }
      List<String> users = users(tx, name);
      if (!users.isEmpty()) throw new FailedPreconditionException("remove " + name + ": volume is in use - " + users);
      tx.update("DELETE FROM volumes WHERE name = ?", name);
      events.append(tx, Event.of(Event.VOLUME, "destroy", name, Map.of("driver", "local")));
      then.run();
      return null;
    });
  }

  private Volume volume(ResultSet rs) throws SQLException {
    String name = rs.getString(1);
    return new Volume(name, dir.resolve(name).resolve("_data"), Instant.parse(rs.getString(2)), map(rs.getString(3)),
        map(rs.getString(4)), rs.getInt(5) != 0);
  }

  private static String json(Map<String, String> m) {
    return new String(Json.write(m), StandardCharsets.UTF_8);
  }

  private static Map<String, String> map(String json) {
    return Json.mapper().convertValue(Json.readTree(json.getBytes(StandardCharsets.UTF_8), "volume"),
        new TypeReference<Map<String, String>>() {});
  }
}
