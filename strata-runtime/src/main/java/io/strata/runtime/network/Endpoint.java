package io.strata.runtime.network;

import java.util.List;

/** A container on a network: its aliases, a static address, and while it runs its address and MAC. */
public record Endpoint(String containerId, String network, List<String> aliases, String staticIp, String ip, String mac) {
  public Endpoint {
    aliases = List.copyOf(aliases);
  }
}
