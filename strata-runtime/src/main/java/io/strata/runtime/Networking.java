package io.strata.runtime;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.runtime.network.PortSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's network flags: {@code -p} publications, {@code -P}, {@code --network-alias},
 * {@code --add-host NAME:IP}, {@code --dns}, {@code --ip}. Checked when the container is created.
 */
public record Networking(List<String> publish, boolean publishAll, List<String> aliases, List<String> extraHosts,
    List<String> dns, String ip) {
  public static final Networking NONE = new Networking(List.of(), false, List.of(), List.of(), List.of(), null);

  public Networking {
    publish = publish == null ? List.of() : List.copyOf(publish);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    dns = dns == null ? List.of() : List.copyOf(dns);
    ip = ip == null || ip.isEmpty() ? null : ip;
  }

  List<PortSpec> ports() {
    List<PortSpec> out = new ArrayList<>();
    for (String p : publish) out.addAll(PortSpec.parse(p));
    return out;
  }

  /** {@code --add-host name:ip} as hosts lines ({@code host-gateway} is not known here). */
  List<String> hostsLines() {
    List<String> out = new ArrayList<>();
    for (String h : extraHosts) {
      int colon = h.indexOf(':');
      if (colon <= 0 || colon == h.length() - 1) throw new InvalidArgumentException("invalid argument \"" + h + "\" for \"--add-host\" flag: invalid IP");
      out.add(h.substring(colon + 1) + "\t" + h.substring(0, colon));
    }
    return out;
  }

  void check() {
    ports();
    hostsLines();
    for (String d : dns) {
      if (!isIpAddress(d)) throw new InvalidArgumentException("invalid argument \"" + d + "\" for \"--dns\" flag: not an IP address");
    }
  }

  /** A dotted IPv4 address with octets up to 255, or an IPv6 one (hex groups and colons). */
  private static boolean isIpAddress(String s) {
    if (s.contains(":")) return s.matches("[0-9a-fA-F:.]{2,45}");
    if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return false;
    for (String octet : s.split("\\.")) if (Integer.parseInt(octet) > 255) return false;
    return true;
  }
}
