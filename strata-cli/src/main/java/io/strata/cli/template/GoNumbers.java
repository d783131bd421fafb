package io.strata.cli.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Go's {@code strconv} for numbers: {@code FormatFloat} (shortest and fixed precision, formats
 * e, f, g) and the parsing of number literals ({@code ParseInt}/{@code ParseUint} with base 0,
 * {@code ParseFloat}), with Go's underscores, 0b/0o/0x prefixes and hexadecimal floats.
 */
final class GoNumbers {
  private static final Pattern DECIMAL_FLOAT = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern HEX_FLOAT =
      Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+(\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+");
  private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private GoNumbers() {}

  /** Decimal digits {@code d} (no leading or trailing zeros; empty for zero) with the point after {@code dp} digits. */
  private record Digits(String d, int dp) {
    int nd() {
      return d.length();
    }

    char at(int i) {
      return d.charAt(i);
    }
  }

  /** {@code strconv.FormatFloat(v, fmt, prec, 64)} for the formats b, e, E, f, g, G, x, X; prec -1 is shortest. */
  static String formatFloat(double v, char fmt, int prec) {
    if (Double.isNaN(v)) return "NaN";
    if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
    boolean neg = (Double.doubleToRawLongBits(v) & Long.MIN_VALUE) != 0;
    if (fmt == 'b' || fmt == 'x' || fmt == 'X') return binary(v, fmt, prec, neg);
    double abs = Math.abs(v);
    boolean shortest = prec < 0;
    char lower = Character.toLowerCase(fmt);
    Digits digs;
    if (shortest) {
      digs = shortestDigits(abs);
    } else {
      BigDecimal exact = new BigDecimal(abs);
      digs = switch (lower) {
        case 'e' -> significant(exact, prec + 1);
        case 'g' -> significant(exact, prec == 0 ? 1 : prec);
        default -> digitsOf(exact.setScale(prec, RoundingMode.HALF_EVEN));
      };
    }
    StringBuilder sb = new StringBuilder();
    if (neg) sb.append('-');
    switch (lower) {
      case 'e' -> fmtE(sb, digs, shortest ? Math.max(digs.nd() - 1, 0) : prec, fmt);
      case 'f' -> fmtF(sb, digs, shortest ? Math.max(digs.nd() - digs.dp(), 0) : prec);
      default -> {
        int p = shortest ? digs.nd() : prec;
        if (!shortest && p == 0) p = 1;
        int eprec = p;
        if (eprec > digs.nd() && digs.nd() >= digs.dp()) eprec = digs.nd();
        if (shortest) eprec = 6;
        int exp = digs.dp() - 1;
        if (exp < -4 || exp >= eprec) {
          if (p > digs.nd()) p = digs.nd();
          fmtE(sb, digs, Math.max(p - 1, 0), fmt == 'G' ? 'E' : 'e');
        } else {
          if (p > digs.dp()) p = digs.nd();
          fmtF(sb, digs, Math.max(p - digs.dp(), 0));
        }
      }
    }
    return sb.toString();
  }

  /** strconv's fmtB ({@code 4503599627370496p-52}) and fmtX ({@code 0x1.8p+01}). */
  private static String binary(double v, char fmt, int prec, boolean neg) {
    long bits = Double.doubleToRawLongBits(v);
    int exp = (int) ((bits >>> 52) & 0x7ff);
    long mant = bits & ((1L << 52) - 1);
    if (exp == 0) exp++;
    else mant |= 1L << 52;
    exp -= 1023;
    StringBuilder sb = new StringBuilder();
    if (neg) sb.append('-');
    if (fmt == 'b') {
      sb.append(mant).append('p');
      int e = exp - 52;
      if (e >= 0) sb.append('+');
      return sb.append(e).toString();
    }
    if (mant == 0) exp = 0;
    mant <<= 60 - 52;
    while (mant != 0 && (mant & (1L << 60)) == 0) {
      mant <<= 1;
      exp--;
    }
    if (prec >= 0 && prec < 15) {
      int shift = prec * 4;
      long extra = (mant << shift) & ((1L << 60) - 1);
      mant >>>= 60 - shift;
      if ((extra | (mant & 1)) > 1L << 59) mant++;
      mant <<= 60 - shift;
      if ((mant & (1L << 61)) != 0) {
        mant >>>= 1;
        exp++;
      }
    }
    String hex = fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    sb.append('0').append(fmt).append((char) ('0' + ((mant >>> 60) & 1)));
    mant <<= 4;
    if (prec < 0 && mant != 0) {
      sb.append('.');
      while (mant != 0) {
        sb.append(hex.charAt((int) ((mant >>> 60) & 15)));
        mant <<= 4;
      }
    } else if (prec > 0) {
      sb.append('.');
      for (int i = 0; i < prec; i++) {
        sb.append(hex.charAt((int) ((mant >>> 60) & 15)));
        mant <<= 4;
      }
    }
    sb.append(fmt == 'X' ? 'P' : 'p').append(exp < 0 ? '-' : '+');
    exp = Math.abs(exp);
    if (exp < 10) sb.append('0');
    return sb.append(exp).toString();
  }

  private static Digits shortestDigits(double abs) {
    if (abs == 0) return new Digits("", 0);
    String s = Double.toString(abs);
    int e = s.indexOf('E');
    int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    String mantissa = e < 0 ? s : s.substring(0, e);
    int point = mantissa.indexOf('.');
    String digits = mantissa.substring(0, point) + mantissa.substring(point + 1);
    Digits d = normalize(digits, point + exp);
    if (d.nd() == 2) {
      // Java writes at least two digits; Go's shortest may have one (subnormals: 1e-323), the one nearest the value
      BigDecimal exact = new BigDecimal(abs);
      Digits best = null;
      BigDecimal bestDistance = null;
      int first = d.at(0) - '0';
      for (int c = first; c <= first + 1; c++) {
        BigDecimal candidate = BigDecimal.valueOf(c).scaleByPowerOfTen(d.dp() - 1);
        if (candidate.doubleValue() != abs) continue;
        BigDecimal distance = candidate.subtract(exact).abs();
        if (best == null || distance.compareTo(bestDistance) < 0) {
          best = normalize(Integer.toString(c), c == 10 ? d.dp() + 1 : d.dp());
          bestDistance = distance;
        }
      }
      if (best != null) return best;
    }
    return d;
  }

  private static Digits significant(BigDecimal exact, int n) {
    if (exact.signum() == 0) return new Digits("", 0);
    return digitsOf(exact.round(new MathContext(n, RoundingMode.HALF_EVEN)));
  }

  private static Digits digitsOf(BigDecimal bd) {
    if (bd.signum() == 0) return new Digits("", 0);
    String unscaled = bd.unscaledValue().abs().toString();
    return normalize(unscaled, unscaled.length() - bd.scale());
  }

  private static Digits normalize(String digits, int dp) {
    int start = 0;
    while (start < digits.length() && digits.charAt(start) == '0') {
      start++;
      dp--;
    }
    int end = digits.length();
    while (end > start && digits.charAt(end - 1) == '0') end--;
    if (start == end) return new Digits("", 0);
    return new Digits(digits.substring(start, end), dp);
  }

  private static void fmtE(StringBuilder sb, Digits d, int prec, char fmt) {
    sb.append(d.nd() == 0 ? '0' : d.at(0));
    if (prec > 0) {
      sb.append('.');
      int i = 1;
      int m = Math.min(d.nd(), prec + 1);
      if (i < m) {
        sb.append(d.d(), i, m);
        i = m;
      }
      for (; i <= prec; i++) sb.append('0');
    }
    sb.append(fmt == 'E' || fmt == 'G' ? 'E' : 'e');
    int exp = d.nd() == 0 ? 0 : d.dp() - 1;
    sb.append(exp < 0 ? '-' : '+');
    exp = Math.abs(exp);
    if (exp < 10) sb.append('0');
    sb.append(exp);
  }

  private static void fmtF(StringBuilder sb, Digits d, int prec) {
    if (d.dp() > 0) {
      int m = Math.min(d.nd(), d.dp());
      sb.append(d.d(), 0, m);
      for (; m < d.dp(); m++) sb.append('0');
    } else {
      sb.append('0');
    }
    if (prec > 0) {
      sb.append('.');
      for (int i = 1; i <= prec; i++) {
        int j = d.dp() + i - 1;
        sb.append(j >= 0 && j < d.nd() ? d.at(j) : '0');
      }
    }
  }

  /** Go's {@code strconv.ParseInt(s, 0, 64)}, or null when it fails (syntax or range). */
  static Long parseInt(String s) {
    if (s.isEmpty()) return null;
    boolean neg = false;
    String body = s;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      neg = s.charAt(0) == '-';
      body = s.substring(1);
    }
    BigInteger u = parseUintBig(body);
    if (u == null) return null;
    if (neg) u = u.negate();
    if (u.bitLength() >= 64) return null;
    return u.longValue();
  }

  /** Go's {@code strconv.ParseUint(s, 0, 64)}, or null. */
  static BigInteger parseUint(String s) {
    BigInteger u = parseUintBig(s);
    return u == null || u.compareTo(MAX_UINT64) > 0 ? null : u;
  }

  private static BigInteger parseUintBig(String s) {
    if (s.isEmpty()) return null;
    String full = s;
    int base = 10;
    if (s.charAt(0) == '0') {
      char c = s.length() >= 3 ? Character.toLowerCase(s.charAt(1)) : 0;
      if (c == 'b') {
        base = 2;
        s = s.substring(2);
      } else if (c == 'o') {
        base = 8;
        s = s.substring(2);
      } else if (c == 'x') {
        base = 16;
        s = s.substring(2);
      } else {
        base = 8;
        s = s.substring(1);
      }
    }
    boolean underscores = false;
    BigInteger n = BigInteger.ZERO;
    BigInteger b = BigInteger.valueOf(base);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_') {
        underscores = true;
        continue;
      }
      int d = Character.digit(c, base);
      if (c >= 128 || d < 0) return null;
      n = n.multiply(b).add(BigInteger.valueOf(d));
      if (n.bitLength() > 64) return null;
    }
    if (underscores && !underscoreOk(full)) return null;
    return n;
  }

  /** Go's {@code strconv.ParseFloat(s, 64)}, or null when it fails (syntax or range). */
  static Double parseFloat(String s) {
    if (s.indexOf('_') >= 0) {
      if (!underscoreOk(s)) return null;
      s = s.replace("_", "");
    }
    if (!DECIMAL_FLOAT.matcher(s).matches() && !HEX_FLOAT.matcher(s).matches()) return null;
    double d;
    try {
      d = Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
    return Double.isInfinite(d) ? null : d;
  }

  /** Go's rule: an underscore only between digits, or between a base prefix and a digit. */
  static boolean underscoreOk(String s) {
    char saw = '^';
    int i = 0;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) s = s.substring(1);
    boolean hex = false;
    if (s.length() >= 2 && s.charAt(0) == '0' && "box".indexOf(Character.toLowerCase(s.charAt(1))) >= 0) {
      i = 2;
      saw = '0';
      hex = Character.toLowerCase(s.charAt(1)) == 'x';
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      char l = Character.toLowerCase(c);
      if (c >= '0' && c <= '9' || hex && l >= 'a' && l <= 'f') {
        saw = '0';
        continue;
      }
      if (c == '_') {
        if (saw != '0') return false;
        saw = '_';
        continue;
      }
      if (saw == '_') return false;
      saw = '!';
    }
    return saw != '_';
  }
}
