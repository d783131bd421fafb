package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;

/** {@code --network}: a network namespace of its own with only loopback, or the host's. */
public enum NetworkMode {
  NONE,
  HOST;

  public static NetworkMode parse(String s) {
    if ("none".equals(s)) return NONE;
    if ("host".equals(s)) return HOST;
    throw new InvalidArgumentException("invalid --network " + s + ": only none and host are supported");
  }
}
