package io.strata.store;

import io.strata.oci.Digest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One open metadata transaction. Valid only inside the {@link MetadataDb#read}/{@link MetadataDb#write}
 * call that created it; using it afterwards throws {@link IllegalStateException}. The helpers bind
 * {@link Digest} and {@link Instant} arguments as their text forms and map SQL errors to error kinds.
 */
public final class Tx {
  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Connection connection;
  private final boolean writable;
  private boolean open = true;

  Tx(Connection connection, boolean writable) {
    this.connection = connection;
    this.writable = writable;
  }

  /** The connection, for statements the helpers do not cover. Do not commit, roll back or close it. */
  public Connection connection() {
    if (!open) throw new IllegalStateException("metadata transaction is already finished");
    return connection;
  }

  public boolean writable() {
    return writable;
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows changed. */
  public int update(String sql, Object... args) {
    if (!writable) throw new IllegalStateException("metadata: update in a read transaction: " + sql);
    try (PreparedStatement st = prepare(sql, args)) {
      return st.executeUpdate();
    } catch (SQLException e) {
      throw SqlErrors.map("metadata update", e);
    }
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    try (PreparedStatement st = prepare(sql, args); ResultSet rs = st.executeQuery()) {
      List<T> rows = new ArrayList<>();
      while (rs.next()) rows.add(mapper.map(rs));
      return rows;
    } catch (SQLException e) {
      throw SqlErrors.map("metadata query", e);
    }
  }

  public <T> Optional<T> queryFirst(String sql, RowMapper<T> mapper, Object... args) {
    try (PreparedStatement st = prepare(sql, args)) {
      st.setMaxRows(1);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw SqlErrors.map("metadata query", e);
    }
  }

  void end() {
    open = false;
  }

  private PreparedStatement prepare(String sql, Object[] args) throws SQLException {
    PreparedStatement st = connection().prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) st.setObject(i + 1, bindable(args[i]));
      return st;
    } catch (SQLException e) {
      st.close();
      throw e;
    }
  }

  private static Object bindable(Object arg) {
    return switch (arg) {
      case Digest d -> d.toString();
      case Instant t -> t.toString();
      case null, default -> arg;
    };
  }
}
