package io.strata.runtime;

import java.util.Locale;

/** Docker's container states, as {@code State.Status} spells them. */
public enum ContainerState {
  CREATED,
  RUNNING,
  PAUSED,
  /** Between two starts of a restart policy: the monitor waits its backoff. */
  RESTARTING,
  EXITED;

  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ContainerState of(String column) {
    return valueOf(column.toUpperCase(Locale.ROOT));
  }
}
