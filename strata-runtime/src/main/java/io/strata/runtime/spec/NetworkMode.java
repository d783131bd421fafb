package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;

/**
 * {@code --network}: a namespace with loopback only ({@code none}), the host's ({@code host}), or one
 * on a network ({@code bridge}, the default, or a user network's name): netavark sets that one up.
 */
public enum NetworkMode {
  NONE,
  HOST,
  BRIDGE;

  public static NetworkMode parse(String s) {
    if (s == null || s.isEmpty()) return BRIDGE;
    if ("none".equals(s)) return NONE;
    if ("host".equals(s)) return HOST;
    if (s.startsWith("container:")) {
      throw new InvalidArgumentException("invalid --network " + s + ": sharing another container's network is not supported");
    }
    if (!s.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}")) throw new InvalidArgumentException("invalid --network " + s);
    return BRIDGE;
  }
}
