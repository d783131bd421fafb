package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values of Docker's {@code run} flags parsed as the docker CLI parses them, with its messages: Go's
 * {@code strconv.ParseInt}, go-units' {@code RAMInBytes} ({@code -m 512m}) and docker's {@code ParseCPUs}
 * ({@code --cpus 1.5}). Each failure is an {@link InvalidArgumentException} whose message is what
 * follows {@code invalid argument "V" for "--flag" flag: }.
 */
public final class FlagValues {
  private static final Pattern SIZE = Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
  private static final Map<String, Long> BINARY = Map.of("k", 1L << 10, "m", 1L << 20, "g", 1L << 30, "t", 1L << 40,
      "p", 1L << 50);
  private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private FlagValues() {}

  /** Go's {@code strconv.ParseInt(s, 10, 64)}: an optional sign and decimal digits. */
  public static long int64(String s) {
    return parseInt(s, false);
  }

  /**
   * Go's {@code strconv.ParseInt(s, 0, 64)}, as pflag parses int flags ({@code --cpu-shares},
   * {@code --pids-limit}, {@code --stop-timeout}): 0x, 0o, 0b and 0 prefixes, underscores between digits.
   */
  public static long int64Base0(String s) {
    return parseInt(s, true);
  }

  private static long parseInt(String s, boolean base0) {
    String syntax = "strconv.ParseInt: parsing " + quote(s) + ": invalid syntax";
    String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    int radix = 10;
    if (base0 && body.length() >= 2 && body.charAt(0) == '0') {
      switch (Character.toLowerCase(body.charAt(1))) {
        case 'x' -> { radix = 16; body = body.substring(2); }
        case 'o' -> { radix = 8; body = body.substring(2); }
        case 'b' -> { radix = 2; body = body.substring(2); }
        default -> { radix = 8; body = body.substring(1); }
      }
    }
    if (body.contains("_")) {
      if (!base0 || !underscoresOk(s)) throw new InvalidArgumentException(syntax);
      body = body.replace("_", "");
    }
    if (body.isEmpty() || body.chars().anyMatch(c -> Character.digit(c, 16) < 0 || c > 'z')) {
      throw new InvalidArgumentException(syntax);
    }
    BigInteger v;
    try {
      v = new BigInteger(body, radix);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(syntax);
    }
    if (s.startsWith("-")) v = v.negate();
    if (v.compareTo(MIN) < 0 || v.compareTo(MAX) > 0) {
      throw new InvalidArgumentException("strconv.ParseInt: parsing " + quote(s) + ": value out of range");
    }
    return v.longValueExact();
  }

  /** Go's {@code underscoreOK}: an underscore only between digits, or between a base prefix and a digit. */
  private static boolean underscoresOk(String s) {
    String n = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    char saw = '^';
    int i = 0;
    boolean hex = false;
    if (n.length() >= 2 && n.charAt(0) == '0' && "box".indexOf(Character.toLowerCase(n.charAt(1))) >= 0) {
      i = 2;
      saw = '0';
      hex = Character.toLowerCase(n.charAt(1)) == 'x';
    }
    for (; i < n.length(); i++) {
      char c = n.charAt(i);
      char l = Character.toLowerCase(c);
      if (c >= '0' && c <= '9' || hex && l >= 'a' && l <= 'f') {
        saw = '0';
      } else if (c == '_') {
        if (saw != '0') return false;
        saw = '_';
      } else {
        if (saw == '_') return false;
        saw = '!';
      }
    }
    return saw != '_';
  }

  /** go-units' {@code RAMInBytes}: {@code 512m}, {@code 1.5g}, {@code 64 MiB}, binary units; no sign. */
  public static long ramInBytes(String s) {
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) throw new InvalidArgumentException("invalid size: '" + s + "'");
    double size;
    try {
      size = Double.parseDouble(m.group(1));
      if (m.group(1).indexOf('.') != m.group(1).lastIndexOf('.')) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("strconv.ParseFloat: parsing " + quote(m.group(1)) + ": invalid syntax");
    }
    if (m.group(3) != null) size *= BINARY.get(m.group(3).toLowerCase(Locale.ROOT));
    // Go's int64(float64) on amd64: out of range gives the minimum
    return size >= 0x1p63 ? Long.MIN_VALUE : (long) size;
  }

  /** {@code --memory-swap}: a size, or -1 for unlimited swap. */
  public static long memorySwap(String s) {
    return s.equals("-1") ? -1 : ramInBytes(s);
  }

  /** docker's {@code ParseCPUs}: a decimal or a fraction ({@code 1/4}) of CPUs, as billionths. */
  public static long nanoCpus(String s) {
    BigDecimal cpus;
    try {
      int slash = s.indexOf('/');
      if (slash >= 0) {
        BigInteger num = new BigInteger(s.substring(0, slash));
        BigInteger den = new BigInteger(s.substring(slash + 1));
        if (den.signum() <= 0 || s.charAt(slash + 1) == '+') throw new NumberFormatException();
        BigDecimal nano = new BigDecimal(num.multiply(BigInteger.valueOf(1_000_000_000L)));
        BigDecimal[] qr = nano.divideAndRemainder(new BigDecimal(den));
        if (qr[1].signum() != 0) throw new InvalidArgumentException("value is too precise");
        return qr[0].toBigInteger().longValue();
      }
      if (s.isEmpty() || !s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) throw new NumberFormatException();
      cpus = new BigDecimal(s);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidArgumentException("failed to parse " + s + " as a rational number");
    }
    BigDecimal nano = cpus.movePointRight(9);
    if (nano.signum() != 0 && nano.stripTrailingZeros().scale() > 0) throw new InvalidArgumentException("value is too precise");
    return nano.toBigInteger().longValue();
  }

  /** Go's {@code %q} for the plain strings flags hold. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
