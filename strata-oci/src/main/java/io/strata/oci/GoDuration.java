package io.strata.oci;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Go's {@code time.Duration} as Docker reads and prints it: {@code 1h2m3.5s}, {@code 300ms},
 * {@code 1.5h}, a sequence of decimal numbers each with a unit (ns, us, µs, ms, s, m, h).
 */
public final class GoDuration {
  private GoDuration() {}

  /** Parses Go's syntax; null for a malformed value (the caller names the flag in its error). */
  public static Duration parse(String s) {
    if (s == null || s.isEmpty()) return null;
    String v = s;
    boolean negative = v.startsWith("-");
    if (negative || v.startsWith("+")) v = v.substring(1);
    if (v.equals("0")) return Duration.ZERO;
    if (v.isEmpty()) return null;
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < v.length()) {
      int start = i;
      while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) i++;
      if (start == i) return null;
      BigDecimal number;
      try {
        number = new BigDecimal(v.substring(start, i));
      } catch (NumberFormatException e) {
        return null;
      }
      int unitStart = i;
      while (i < v.length() && !Character.isDigit(v.charAt(i)) && v.charAt(i) != '.') i++;
      long scale = switch (v.substring(unitStart, i)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> -1L;
      };
      if (scale < 0) return null;
      nanos = nanos.add(number.multiply(BigDecimal.valueOf(scale)));
    }
    // Go's int64 nanoseconds: beyond ±292 years is "invalid duration", never a wrapped value
    BigDecimal max = BigDecimal.valueOf(Long.MAX_VALUE).add(negative ? BigDecimal.ONE : BigDecimal.ZERO);
    if (nanos.compareTo(max) > 0) return null;
    if (negative && nanos.compareTo(max) == 0) return Duration.ofNanos(Long.MIN_VALUE);
    Duration d = Duration.ofNanos(nanos.longValue());
    return negative ? d.negated() : d;
  }

  /** Go's {@code Duration.String()}: {@code 0s}, {@code 1.5s}, {@code 300ms}, {@code 1h0m0s}. */
  public static String format(Duration d) {
    long n = d.toNanos();
    if (n == 0) return "0s";
    String sign = n < 0 ? "-" : "";
    n = Math.abs(n);
    if (n < 1_000L) return sign + n + "ns";
    if (n < 1_000_000L) return sign + fraction(n, 1_000L) + "µs";
    if (n < 1_000_000_000L) return sign + fraction(n, 1_000_000L) + "ms";
    long seconds = n / 1_000_000_000L;
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    StringBuilder b = new StringBuilder(sign);
    if (h > 0) b.append(h).append('h');
    if (h > 0 || m > 0) b.append(m).append('m');
    return b.append(fraction(n % 60_000_000_000L, 1_000_000_000L)).append('s').toString();
  }

  private static String fraction(long n, long unit) {
    long whole = n / unit;
    long frac = n % unit;
    if (frac == 0) return Long.toString(whole);
    String digits = String.format("%0" + Long.toString(unit).length() + "d", frac).substring(1).replaceAll("0+$", "");
    return whole + "." + digits;
  }
}
