package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.util.Locale;

/** {@code --network}: a network namespace of its own with only loopback, or the host's. */
public enum NetworkMode {
  NONE,
  HOST;

  public static NetworkMode parse(String s) {
    return switch (s == null ? "none" : s) {
      case "none", "" -> NONE;
      case "host" -> HOST;
      default -> throw new InvalidArgumentException("invalid --network " + s + ": only none and host are supported");
    };
  }

  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
