package io.strata.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The metadata database, SQLite at {@code <root>/metadata.db} in WAL mode. Several strata
 * processes may use it at once: writes run in {@code BEGIN IMMEDIATE} transactions (one writer at a
 * time, waiting up to {@link #BUSY_TIMEOUT_MS}), reads see a consistent snapshot.
 *
 * <p>One connection per instance, opened on first use (a CLI that never touches metadata pays
 * nothing). Threads of one process take turns. A {@code read} or {@code write} called inside a
 * transaction on the same thread joins it (a write inside a read is refused). Do not wait inside a
 * transaction for another thread that uses this database: it would wait for the same turn.
 */
public final class MetadataDb implements AutoCloseable {
  static final int BUSY_TIMEOUT_MS = 30_000;

  private final Path file;
  private final Consumer<MetadataDb> onOpen;
  private final ReentrantLock turn = new ReentrantLock();
  private Connection connection;
  private Tx current;
  private boolean closed;

  /** @param onOpen runs once after the connection is first opened (recovery work), may be null */
  MetadataDb(Path file, Consumer<MetadataDb> onOpen) {
    this.file = file;
    this.onOpen = onOpen;
  }

  public Path file() {
    return file;
  }

  /** Runs {@code fn} in a write transaction: committed if it returns, rolled back if it throws. */
  public <T> T write(TxFunction<T> fn) {
    return run(fn, true);
  }

  /** Runs {@code fn} in a read transaction (a consistent snapshot). */
  public <T> T read(TxFunction<T> fn) {
    return run(fn, false);
  }

  private <T> T run(TxFunction<T> fn, boolean write) {
    turn.lock();
    try {
      if (current != null) return joined(fn, write);
      Connection c = connection();
      execute(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
      Tx tx = new Tx(c, write);
      current = tx;
      try {
        T result = fn.apply(tx);
        execute(c, "COMMIT");
        return result;
      } catch (Throwable t) {
        rollback(c, t);
        throw SqlErrors.unchecked("metadata transaction", t);
      } finally {
        tx.end();
        current = null;
      }
    } catch (SQLException e) {
      throw SqlErrors.map("metadata " + (write ? "write" : "read"), e);
    } finally {
      turn.unlock();
    }
  }

  private <T> T joined(TxFunction<T> fn, boolean write) {
    if (write && !current.writable()) {
      throw new IllegalStateException("metadata: write transaction requested inside a read transaction");
    }
    try {
      return fn.apply(current);
    } catch (Throwable t) {
      throw SqlErrors.unchecked("metadata transaction", t);
    }
  }

  private Connection connection() throws SQLException {
    if (closed) throw new IllegalStateException("metadata database " + file + " is closed");
    if (connection != null) return connection;
    Connection c;
    if (walHeader(file)) {
      c = open();
    } else {
      // a new (or not yet WAL) database: no connection may even open it in rollback mode while
      // another switches it to WAL (SQLITE_IOERR_DELETE_NOENT, short reads), so opening is locked too
      try (CreationLock ignored = CreationLock.acquire(file.resolveSibling(file.getFileName() + ".lock"))) {
        c = open();
        try {
          if (!isWal(c)) execute(c, "PRAGMA journal_mode = WAL");
          Schema.migrate(c);
        } catch (SQLException | RuntimeException e) {
          c.close();
          throw e;
        }
      }
    }
    try {
      Schema.migrate(c);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    connection = c;
    if (onOpen != null) onOpen.accept(this);
    return c;
  }

  private Connection open() throws SQLException {
    Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, new Properties());
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
      st.execute("PRAGMA foreign_keys = ON");
      st.execute("PRAGMA synchronous = FULL");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Whether the file's SQLite header already says WAL (file format bytes 18 and 19 are 2). */
  private static boolean walHeader(Path file) {
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      byte[] h = in.readNBytes(20);
      return h.length == 20 && h[18] == 2 && h[19] == 2;
    } catch (java.io.IOException e) {
      return false; // missing: a new database
    }
  }

  private static boolean isWal(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); var rs = st.executeQuery("PRAGMA journal_mode")) {
      return rs.next() && "wal".equalsIgnoreCase(rs.getString(1));
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      execute(c, "ROLLBACK");
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    turn.lock();
    try {
      closed = true;
      if (connection != null) connection.close();
      connection = null;
    } catch (SQLException e) {
      throw SqlErrors.map("close metadata database " + file, e);
    } finally {
      turn.unlock();
    }
  }
}
