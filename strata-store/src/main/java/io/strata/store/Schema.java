package io.strata.store;

import io.strata.errdefs.FailedPreconditionException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The metadata schema, versioned by {@code PRAGMA user_version}. Migration {@code i} takes the
 * database from version {@code i} to {@code i + 1}; append new ones, never edit old ones.
 */
final class Schema {
  private static final List<List<String>> MIGRATIONS = List.of(
      List.of(
          """
          CREATE TABLE images (
            id TEXT PRIMARY KEY,
            manifest_digest TEXT NOT NULL,
            manifest_media_type TEXT NOT NULL,
            manifest_size INTEGER NOT NULL,
            created TEXT,
            size INTEGER NOT NULL,
            loaded_at TEXT NOT NULL
          ) WITHOUT ROWID""",
          """
          CREATE TABLE image_layers (
            image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            diff_id TEXT NOT NULL,
            blob_digest TEXT NOT NULL,
            media_type TEXT NOT NULL,
            blob_size INTEGER NOT NULL,
            uncompressed_size INTEGER NOT NULL,
            PRIMARY KEY (image_id, idx)
          ) WITHOUT ROWID""",
          "CREATE INDEX image_layers_diff_id ON image_layers(diff_id)",
          """
          CREATE TABLE tags (
            ref TEXT PRIMARY KEY,
            image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
          ) WITHOUT ROWID""",
          "CREATE INDEX tags_image_id ON tags(image_id)",
          """
          CREATE TABLE refs (
            owner_kind TEXT NOT NULL,
            owner_id TEXT NOT NULL,
            digest TEXT NOT NULL,
            PRIMARY KEY (owner_kind, owner_id, digest)
          ) WITHOUT ROWID""",
          "CREATE INDEX refs_digest ON refs(digest)",
          """
          CREATE TABLE leases (
            id TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
          ) WITHOUT ROWID""",
          "CREATE INDEX leases_expires_at ON leases(expires_at)"),
      List.of(
          // unpacked layers (kind committed, key = chainID) and containers' writable layers (kind active)
          """
          CREATE TABLE snapshots (
            driver TEXT NOT NULL,
            key TEXT NOT NULL,
            dir TEXT NOT NULL,
            parent TEXT,
            kind TEXT NOT NULL,
            created TEXT NOT NULL,
            PRIMARY KEY (driver, key)
          ) WITHOUT ROWID""",
          "CREATE INDEX snapshots_parent ON snapshots(driver, parent)",
          """
          CREATE TABLE containers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            image_id TEXT NOT NULL,
            image_ref TEXT NOT NULL,
            driver TEXT NOT NULL,
            created TEXT NOT NULL,
            config TEXT NOT NULL,
            status TEXT NOT NULL,
            pid INTEGER NOT NULL DEFAULT 0,
            monitor_pid INTEGER NOT NULL DEFAULT 0,
            exit_code INTEGER NOT NULL DEFAULT 0,
            error TEXT NOT NULL DEFAULT '',
            started_at TEXT,
            finished_at TEXT
          ) WITHOUT ROWID""",
          "CREATE INDEX containers_image_id ON containers(image_id)"),
      List.of(
          // the layer cache of builds: a step's key (its parent's key, its instruction, its inputs) to
          // the layer it made (NULL for a step that only changes the config); refs keep the blobs
          """
          CREATE TABLE build_cache (
            key TEXT PRIMARY KEY,
            blob_digest TEXT,
            created TEXT NOT NULL
          ) WITHOUT ROWID"""),
      List.of(
          // the build context's stat cache: a file's content digest while its size, mtime and inode
          // stay the same (cache keys remain content digests; this only saves re-reading the bytes)
          """
          CREATE TABLE context_files (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            digest TEXT NOT NULL
          ) WITHOUT ROWID"""),
      List.of(
          // distribution: the registry digests pulls and pushes gave an image (Docker's RepoDigests)
          """
          CREATE TABLE repo_digests (
            repository TEXT NOT NULL,
            digest TEXT NOT NULL,
            image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
            PRIMARY KEY (repository, digest)
          ) WITHOUT ROWID""",
          "CREATE INDEX repo_digests_image_id ON repo_digests(image_id)",
          // where a blob is known to be in a registry (pulled from, pushed to): cross-repository mounts
          """
          CREATE TABLE blob_sources (
            digest TEXT NOT NULL,
            registry TEXT NOT NULL,
            repository TEXT NOT NULL,
            PRIMARY KEY (digest, registry, repository)
          ) WITHOUT ROWID""",
          // a layer compressed once for a push: its diffID and format to the compressed blob
          """
          CREATE TABLE compressed_layers (
            diff_id TEXT NOT NULL,
            media_type TEXT NOT NULL,
            blob_digest TEXT NOT NULL,
            blob_size INTEGER NOT NULL,
            PRIMARY KEY (diff_id, media_type)
          ) WITHOUT ROWID"""),
      List.of(
          // the process that holds a lease (pid and start time): a dead owner's lease is released at once
          "ALTER TABLE leases ADD COLUMN owner_pid INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE leases ADD COLUMN owner_start INTEGER NOT NULL DEFAULT 0"),
      List.of(
          // networks (netavark bridges), the containers on them with the address each has while it
          // runs, and the host ports a running container publishes
          """
          CREATE TABLE networks (
            name TEXT PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            iface TEXT NOT NULL UNIQUE,
            subnet TEXT NOT NULL,
            gateway TEXT NOT NULL,
            internal INTEGER NOT NULL,
            dns INTEGER NOT NULL,
            created TEXT NOT NULL,
            labels TEXT NOT NULL
          ) WITHOUT ROWID""",
          """
          CREATE TABLE network_endpoints (
            container_id TEXT NOT NULL,
            network TEXT NOT NULL REFERENCES networks(name),
            aliases TEXT NOT NULL,
            static_ip TEXT,
            ip TEXT,
            mac TEXT,
            PRIMARY KEY (container_id, network)
          ) WITHOUT ROWID""",
          "CREATE INDEX network_endpoints_network ON network_endpoints(network)",
          """
          CREATE TABLE container_ports (
            container_id TEXT NOT NULL,
            host_ip TEXT NOT NULL,
            host_port INTEGER NOT NULL,
            container_port INTEGER NOT NULL,
            protocol TEXT NOT NULL
          )""",
          "CREATE INDEX container_ports_container ON container_ports(container_id)"),
      List.of(
          // named and anonymous volumes, and the containers that mount each (a used one is never removed)
          """
          CREATE TABLE volumes (
            name TEXT PRIMARY KEY,
            created TEXT NOT NULL,
            labels TEXT NOT NULL,
            options TEXT NOT NULL,
            anonymous INTEGER NOT NULL
          ) WITHOUT ROWID""",
          """
          CREATE TABLE volume_users (
            volume TEXT NOT NULL REFERENCES volumes(name),
            container_id TEXT NOT NULL,
            PRIMARY KEY (volume, container_id)
          ) WITHOUT ROWID""",
          "CREATE INDEX volume_users_container ON volume_users(container_id)",
          // restart policies: how often the monitor restarted a container, and whether the user stopped it
          "ALTER TABLE containers ADD COLUMN restart_count INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE containers ADD COLUMN stop_requested INTEGER NOT NULL DEFAULT 0"),
      List.of(
          // the container's health (Docker's State.Health as JSON) while it runs with a healthcheck
          "ALTER TABLE containers ADD COLUMN health TEXT"),
      List.of(
          // the event journal (strata events): what commands and monitors did, oldest first, trimmed on append
          """
          CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time_nano INTEGER NOT NULL,
            type TEXT NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            attributes TEXT NOT NULL
          )""",
          "CREATE INDEX events_time ON events(time_nano)"));

  static final int VERSION = MIGRATIONS.size();

  private Schema() {}

  /** Brings the schema to {@link #VERSION}; a no-op read when it is already current. */
  static void migrate(Connection c) throws SQLException {
    if (version(c) == VERSION) return;
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        int v = version(c); // another process may have migrated meanwhile
        if (v > VERSION) {
          throw new FailedPreconditionException("metadata database: schema version " + v
              + " is newer than this strata supports (" + VERSION + ")");
        }
        for (int i = v; i < VERSION; i++) {
          for (String sql : MIGRATIONS.get(i)) st.execute(sql);
        }
        st.execute("PRAGMA user_version = " + VERSION);
        st.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }

  static int version(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
