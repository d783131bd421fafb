package io.strata.runtime.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Json;
import java.time.Instant;
import java.util.Map;

/**
 * A network containers join (Docker's bridge driver, made by netavark): a Linux bridge
 * {@code iface}, one IPv4 subnet with its gateway, NAT to the outside unless {@code internal}, and
 * container names answered by aardvark-dns when {@code dns} (user networks; not the default bridge,
 * as in Docker).
 */
public record Network(String name, String id, String iface, String subnet, String gateway, boolean internal, boolean dns,
    Instant created, Map<String, String> labels) {
  public static final String DEFAULT = "bridge";

  public Network {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** netavark's description of it (podman's network config). */
  ObjectNode netavark() {
    ObjectNode n = Json.mapper().createObjectNode().put("name", name).put("id", id).put("driver", "bridge")
        .put("network_interface", iface).put("created", created.toString()).put("ipv6_enabled", false)
        .put("internal", internal).put("dns_enabled", dns);
    n.putArray("subnets").addObject().put("subnet", subnet).put("gateway", gateway);
    n.putObject("ipam_options").put("driver", "host-local");
    return n;
  }
}
