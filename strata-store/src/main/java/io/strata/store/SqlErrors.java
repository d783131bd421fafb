package io.strata.store;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.errdefs.StrataException;
import io.strata.errdefs.UnavailableException;
import java.sql.SQLException;

/** Maps SQLite result codes to strata's error kinds. */
final class SqlErrors {
  private SqlErrors() {}

  static RuntimeException map(String context, SQLException e) {
    String msg = context + ": " + e.getMessage();
    return switch (e.getErrorCode() & 0xff) {
      case 5, 6 -> new UnavailableException(context + ": metadata database is locked by another process", e);
      case 11, 26 -> new DataLossException(msg, e);
      case 13 -> new ResourceExhaustedException(msg, e);
      case 19 -> new FailedPreconditionException(msg, e);
      case 10, 14 -> new UnavailableException(msg, e);
      default -> new IllegalStateException(msg, e);
    };
  }

  /** Rethrows what a transaction body threw, with checked exceptions mapped or wrapped. */
  static RuntimeException unchecked(String context, Throwable t) {
    return switch (t) {
      case StrataException s -> s;
      case RuntimeException r -> r;
      case Error err -> throw err;
      case SQLException s -> map(context, s);
      case InterruptedException ie -> {
        Thread.currentThread().interrupt();
        yield new IllegalStateException(context + ": interrupted", ie);
      }
      case java.io.IOException io -> new java.io.UncheckedIOException(context + ": " + io.getMessage(), io);
      default -> new IllegalStateException(context + ": " + t, t);
    };
  }
}
