package io.strata.runtime.network;

import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** IPv4 CIDR arithmetic for networks: parsing, containment, overlap, the first free host address. */
final class Subnets {
  private Subnets() {}

  record Cidr(long base, int bits) {
    long size() {
      return 1L << (32 - bits);
    }

    long first() {
      return base;
    }

    long last() {
      return base + size() - 1;
    }
  }

  static Cidr parse(String cidr) {
    String[] p = cidr.split("/");
    if (p.length != 2 || !p[1].matches("\\d{1,2}")) throw new InvalidArgumentException("invalid subnet " + cidr + ": want A.B.C.D/N");
    int bits = Integer.parseInt(p[1]);
    if (bits < 8 || bits > 30) throw new InvalidArgumentException("invalid subnet " + cidr + ": the prefix must be 8 to 30 bits");
    long addr = ip(p[0]);
    long mask = (0xffffffffL << (32 - bits)) & 0xffffffffL;
    if ((addr & mask) != addr) throw new InvalidArgumentException("invalid subnet " + cidr + ": host bits are set");
    return new Cidr(addr, bits);
  }

  static long ip(String s) {
    String[] o = s.split("\\.");
    if (o.length != 4) throw new InvalidArgumentException("invalid IPv4 address " + s);
    long v = 0;
    for (String x : o) {
      if (!x.matches("\\d{1,3}") || Integer.parseInt(x) > 255) throw new InvalidArgumentException("invalid IPv4 address " + s);
      v = (v << 8) | Integer.parseInt(x);
    }
    return v;
  }

  static String ip(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }

  static boolean contains(String cidr, String ip) {
    Cidr c = parse(cidr);
    long a;
    try {
      a = ip(ip);
    } catch (InvalidArgumentException e) {
      return false;
    }
    return a > c.first() && a < c.last();
  }

  static boolean overlap(String a, String b) {
    Cidr x = parse(a);
    Cidr y = parse(b);
    return x.first() <= y.last() && y.first() <= x.last();
  }

  /** The subnet's first host address (Docker's and podman's gateway). */
  static String firstHost(String cidr) {
    return ip(parse(cidr).first() + 1);
  }

  static Optional<String> lowestFree(String cidr, Set<String> used) {
    Cidr c = parse(cidr);
    for (long a = c.first() + 1; a < c.last(); a++) {
      String s = ip(a);
      if (!used.contains(s)) return Optional.of(s);
    }
    return Optional.empty();
  }

  /**
   * The host's IPv4 routes other than the default one, from {@code /proc/net/route}: a new subnet
   * must not overlap them (another store's bridge, a VPN, the host's LAN), as Docker checks its pools.
   */
  static List<String> hostRoutes() {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/net/route")).stream().skip(1).toList()) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 8) continue;
        long dest = Long.reverseBytes(Long.parseLong(f[1], 16) << 32);
        long mask = Long.reverseBytes(Long.parseLong(f[7], 16) << 32);
        int bits = Long.bitCount(mask);
        if (bits == 0) continue;
        out.add(ip(dest & mask) + "/" + bits);
      }
    } catch (IOException | NumberFormatException e) {
      // no /proc: nothing known to avoid
    }
    return out;
  }

  /** Overlap with a prefix of any length (a host route may be narrower or wider than 8 to 30 bits). */
  static boolean overlapsRoute(String subnet, String route) {
    Cidr x = parse(subnet);
    String[] r = route.split("/");
    int bits = Integer.parseInt(r[1]);
    long first = ip(r[0]);
    long last = first + (1L << (32 - bits)) - 1;
    return x.first() <= last && first <= x.last();
  }
}
