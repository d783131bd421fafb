package io.strata.runtime.network;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code -p} publication: {@code [IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/tcp|udp]}, Docker's
 * grammar. A host port of 0 (or none) is chosen at start from the free ones.
 */
public record PortSpec(String hostIp, int hostPort, int containerPort, String protocol) {
  public PortSpec {
    hostIp = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
    protocol = protocol == null ? "tcp" : protocol;
  }

  /** Parses one {@code -p} value into the publications it stands for (a range gives several). */
  public static List<PortSpec> parse(String value) {
    String v = value;
    String proto = "tcp";
    int slash = v.lastIndexOf('/');
    if (slash >= 0) {
      proto = v.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
      v = v.substring(0, slash);
      if (!proto.equals("tcp") && !proto.equals("udp")) throw bad(value, "protocol must be tcp or udp");
    }
    String ip = "";
    String host = "";
    String ctr;
    if (v.startsWith("[")) { // [::1]:8080:80
      int close = v.indexOf(']');
      if (close < 0) throw bad(value, "unclosed [");
      ip = v.substring(1, close);
      v = v.substring(close + 1);
      if (!v.startsWith(":")) throw bad(value, "expected : after the address");
      v = v.substring(1);
      String[] hc = v.split(":", -1);
      if (hc.length != 2) throw bad(value, "want IP:HOST:CONTAINER");
      host = hc[0];
      ctr = hc[1];
    } else {
      String[] parts = v.split(":", -1);
      switch (parts.length) {
        case 1 -> ctr = parts[0];
        case 2 -> {
          host = parts[0];
          ctr = parts[1];
        }
        case 3 -> {
          ip = parts[0];
          host = parts[1];
          ctr = parts[2];
        }
        default -> throw bad(value, "too many colons");
      }
    }
    int[] c = range(ctr, value);
    int[] h = host.isEmpty() ? new int[] {0, 0} : range(host, value);
    int count = c[1] - c[0] + 1;
    if (h[0] != 0 && h[1] - h[0] + 1 != count) throw bad(value, "host and container port ranges differ in size");
    List<PortSpec> out = new ArrayList<>();
    for (int i = 0; i < count; i++) out.add(new PortSpec(ip, h[0] == 0 ? 0 : h[0] + i, c[0] + i, proto));
    return out;
  }

  private static int[] range(String s, String value) {
    String[] ab = s.split("-", -1);
    if (ab.length > 2) throw bad(value, "bad port range " + s);
    int a = port(ab[0], value);
    int b = ab.length == 2 ? port(ab[1], value) : a;
    if (b < a) throw bad(value, "bad port range " + s);
    return new int[] {a, b};
  }

  private static int port(String s, String value) {
    if (!s.matches("\\d{1,5}")) throw bad(value, "invalid port " + s);
    int p = Integer.parseInt(s);
    if (p > 65535) throw bad(value, "invalid port " + s);
    return p;
  }

  private static InvalidArgumentException bad(String value, String why) {
    return new InvalidArgumentException("invalid publish spec \"" + value + "\": " + why);
  }

  /** Docker's {@code port} line: {@code 80/tcp -> 127.0.0.1:8080}. */
  public String describe() {
    return containerPort + "/" + protocol + " -> " + (hostIp.contains(":") ? "[" + hostIp + "]" : hostIp) + ":" + hostPort;
  }
}
