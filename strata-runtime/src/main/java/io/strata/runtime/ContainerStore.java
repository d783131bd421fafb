package io.strata.runtime;

import io.strata.errdefs.AlreadyExistsException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.store.MetadataDb;
import io.strata.store.RefOwners;
import io.strata.store.Store;
import io.strata.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code containers} table, and the blob references that keep a container's image content alive. */
public final class ContainerStore {
  private static final String COLUMNS = "id, name, image_id, image_ref, driver, created, config, status, pid, "
      + "monitor_pid, exit_code, error, started_at, finished_at, restart_count, health";

  private final Store store;
  private final MetadataDb db;

  ContainerStore(Store store) {
    this.store = store;
    this.db = store.db();
  }

  /** Records a new container and references its image's blobs; a taken name is Docker's conflict. */
  void insert(Container c, Collection<Digest> blobs) {
    db.write(tx -> {
      Optional<String> holder = tx.queryFirst("SELECT id FROM containers WHERE name = ?", rs -> rs.getString(1), c.name());
      if (holder.isPresent()) {
        throw new AlreadyExistsException("Conflict. The container name \"/" + c.name()
            + "\" is already in use by container \"" + holder.get() + "\". You have to remove (or rename) that"
            + " container to be able to reuse that name.");
      }
      tx.update("INSERT INTO containers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          c.id(), c.name(), c.imageId().toString(), c.imageRef(), c.driver(), c.created().toString(),
          new String(Json.write(c.spec()), java.nio.charset.StandardCharsets.UTF_8), c.state().column(), c.pid(),
          c.monitorPid(), c.exitCode(), c.error(), str(c.startedAt()), str(c.finishedAt()), c.restartCount(), null);
      store.images().addRefs(tx, RefOwners.CONTAINER, c.id(), blobs);
      store.events().append(tx, ContainerEvents.of(c, "create"));
      return null;
    });
  }

  void delete(String id) {
    db.write(tx -> {
      Optional<Container> c = get(tx, id);
      tx.update("DELETE FROM containers WHERE id = ?", id);
      store.images().removeRefs(tx, RefOwners.CONTAINER, id);
      c.ifPresent(gone -> store.events().append(tx, ContainerEvents.of(gone, "destroy")));
      return null;
    });
  }

  /**
   * Running under the monitor {@code monitorPid}; with the process's {@code pid} (not 0) it has
   * started, and Docker's {@code start} is journaled with it.
   */
  void markRunning(String id, long pid, long monitorPid, Instant startedAt) {
    db.write(tx -> {
      tx.update("UPDATE containers SET status = 'running', pid = ?, monitor_pid = ?, started_at = ?, "
          + "exit_code = 0, error = '' WHERE id = ?", pid, monitorPid, startedAt.toString(), id);
      if (pid > 0) journal(tx, id, "start", Map.of());
      return null;
    });
  }

  /** Journals {@code action} for the container in its own transaction (nothing when it is gone). */
  void journal(String id, String action, Map<String, String> attributes) {
    db.write(tx -> {
      journal(tx, id, action, attributes);
      return null;
    });
  }

  private void journal(Tx tx, String id, String action, Map<String, String> attributes) {
    get(tx, id).ifPresent(c -> store.events().append(tx, ContainerEvents.of(c, action, attributes)));
  }

  void markState(String id, ContainerState state) {
    db.write(tx -> tx.update("UPDATE containers SET status = ? WHERE id = ?", state.column(), id));
  }

  /**
   * A start ended: by the restart policy, with the stop flag and count read in the same
   * transaction, it is restarting (the count one more, this monitor keeping it) or exited.
   * Returns whether it restarts.
   */
  boolean markEnded(String id, int exitCode, String error, Instant finishedAt, RestartPolicy policy) {
    return db.write(tx -> {
      boolean stop = tx.queryFirst("SELECT stop_requested FROM containers WHERE id = ?", rs -> rs.getInt(1) != 0, id).orElse(true);
      int count = tx.queryFirst("SELECT restart_count FROM containers WHERE id = ?", rs -> rs.getInt(1), id).orElse(0);
      journal(tx, id, "die", Map.of("exitCode", Integer.toString(exitCode)));
      if (policy.restarts(exitCode, count, stop)) {
        tx.update("UPDATE containers SET status = 'restarting', pid = 0, restart_count = ?, exit_code = ?, error = ?, "
            + "finished_at = ? WHERE id = ?", count + 1, exitCode, error == null ? "" : error, finishedAt.toString(), id);
        return true;
      }
      tx.update("UPDATE containers SET status = 'exited', pid = 0, monitor_pid = 0, exit_code = ?, error = ?, finished_at = ? "
          + "WHERE id = ?", exitCode, error == null ? "" : error, finishedAt.toString(), id);
      return false;
    });
  }

  /** A restarting container the user stopped meanwhile: exited, its last status kept. */
  void markStoppedWhileRestarting(String id) {
    db.write(tx -> tx.update("UPDATE containers SET status = 'exited', monitor_pid = 0 WHERE id = ? AND status = 'restarting'", id));
  }

  /** The user stopped it ({@code stop}, {@code kill}, {@code rm -f}): no restart policy applies until it is started again. */
  void markStopRequested(String id, boolean requested) {
    db.write(tx -> tx.update("UPDATE containers SET stop_requested = ? WHERE id = ?", requested ? 1 : 0, id));
  }

  /** A new name, unless another container has it (Docker's conflict). */
  void rename(String id, String name) {
    db.write(tx -> {
      Optional<String> holder = tx.queryFirst("SELECT id FROM containers WHERE name = ?", rs -> rs.getString(1), name);
      if (holder.isPresent()) {
        throw new AlreadyExistsException("Error when allocating new name: Conflict. The container name \"/" + name
            + "\" is already in use by container \"" + holder.get() + "\". You have to remove (or rename) that container to be able "
            + "to reuse that name.");
      }
      return tx.update("UPDATE containers SET name = ? WHERE id = ?", name, id);
    });
  }

  /** {@code update}: the container's config with new limits or restart policy. */
  void updateSpec(String id, ContainerSpec spec) {
    db.write(tx -> tx.update("UPDATE containers SET config = ? WHERE id = ?",
        new String(Json.write(spec), java.nio.charset.StandardCharsets.UTF_8), id));
  }

  /** The health a probe found; null when the container ends (Docker keeps no health for a stopped container). */
  void markHealth(String id, ContainerHealth health) {
    db.write(tx -> tx.update("UPDATE containers SET health = ? WHERE id = ?",
        health == null ? null : new String(Json.write(health), java.nio.charset.StandardCharsets.UTF_8), id));
  }

  /** A start by the user: no stop requested, no restarts yet. */
  void markStarting(String id) {
    db.write(tx -> tx.update("UPDATE containers SET stop_requested = 0, restart_count = 0 WHERE id = ?", id));
  }

  boolean stopRequested(String id) {
    return db.read(tx -> tx.queryFirst("SELECT stop_requested FROM containers WHERE id = ?", rs -> rs.getInt(1) != 0, id)).orElse(true);
  }

  /** A container whose monitor is gone: exited with Docker's {@code die}. */
  void markExited(String id, int exitCode, String error, Instant finishedAt) {
    db.write(tx -> {
      tx.update("UPDATE containers SET status = 'exited', pid = 0, monitor_pid = 0, exit_code = ?, "
          + "error = ?, finished_at = ? WHERE id = ?", exitCode, error == null ? "" : error, finishedAt.toString(), id);
      journal(tx, id, "die", Map.of("exitCode", Integer.toString(exitCode)));
      return null;
    });
  }

  Optional<Container> get(String id) {
    return db.read(tx -> get(tx, id));
  }

  private static Optional<Container> get(Tx tx, String id) {
    return tx.queryFirst("SELECT " + COLUMNS + " FROM containers WHERE id = ?", ContainerStore::row, id);
  }

  List<Container> list() {
    return db.read(tx -> tx.query("SELECT " + COLUMNS + " FROM containers ORDER BY created DESC", ContainerStore::row));
  }

  /** Docker's lookup: full ID, exact name (with or without the leading slash), then a unique ID prefix. */
  Container resolve(String given) {
    String name = given.startsWith("/") ? given.substring(1) : given;
    return db.read(tx -> {
      Optional<Container> exact = tx.queryFirst("SELECT " + COLUMNS + " FROM containers WHERE id = ? OR name = ?",
          ContainerStore::row, given, name);
      if (exact.isPresent()) return exact.get();
      if (!given.isEmpty() && given.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && !Character.isUpperCase(ch))) {
        List<Container> byPrefix = tx.query("SELECT " + COLUMNS + " FROM containers WHERE id LIKE ? || '%'",
            ContainerStore::row, given);
        if (byPrefix.size() == 1) return byPrefix.getFirst();
        if (byPrefix.size() > 1) throw new InvalidArgumentException("multiple containers found with provided prefix: " + given);
      }
      throw new NotFoundException("No such container: " + given);
    });
  }

  private static Container row(ResultSet rs) throws SQLException {
    return new Container(rs.getString(1), rs.getString(2), Digest.parse(rs.getString(3)), rs.getString(4),
        rs.getString(5), Instant.parse(rs.getString(6)),
        Json.read(rs.getString(7).getBytes(java.nio.charset.StandardCharsets.UTF_8), ContainerSpec.class, "container config"),
        ContainerState.of(rs.getString(8)), rs.getLong(9), rs.getLong(10), rs.getInt(11), rs.getString(12),
        instant(rs.getString(13)), instant(rs.getString(14)), rs.getInt(15),
        rs.getString(16) == null ? null : Json.read(rs.getString(16).getBytes(java.nio.charset.StandardCharsets.UTF_8),
            ContainerHealth.class, "container health"));
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
