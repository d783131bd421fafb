package io.strata.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Docker's human-readable sizes and durations, as github.com/docker/go-units prints them, so that
 * strata's tables read exactly like docker's: {@code HumanSizeWithPrecision} (1000-based units,
 * Go's {@code %.*g}) and {@code HumanDuration}.
 */
public final class HumanUnits {
  private static final String[] DECIMAL_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

  private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

  private HumanUnits() {}

  /** go-units {@code BytesSize}: 1024-based units, four significant digits ("1.5MiB"), as {@code stats} prints memory. */
  public static String bytesSize(double bytes) {
    double size = bytes;
    int unit = 0;
    while (size >= 1024.0 && unit < BINARY_UNITS.length - 1) {
      size /= 1024.0;
      unit++;
    }
    return formatG(size, 4) + BINARY_UNITS[unit];
  }

  /** go-units {@code HumanSize}: four significant digits ("4.862MB"), as {@code system df} prints. */
  public static String humanSize(double bytes) {
    return humanSize(bytes, 4);
  }

  /** go-units {@code HumanSizeWithPrecision}: {@code docker images} uses precision 3 ("4.86MB"). */
  public static String humanSize(double bytes, int precision) {
    double size = bytes;
    int unit = 0;
    while (size >= 1000.0 && unit < DECIMAL_UNITS.length - 1) {
      size /= 1000.0;
      unit++;
    }
    return formatG(size, precision) + DECIMAL_UNITS[unit];
  }

  /**
   * Go's {@code fmt.Sprintf("%.*g", precision, v)} for a non-negative finite v: rounds the exact
   * binary value half-to-even to {@code precision} significant digits, drops trailing zeros, and
   * switches to exponent form when the exponent is below -4 or at least the precision
   * (which is why docker prints "1e+03kB" for 999,999 bytes).
   */
  static String formatG(double value, int precision) {
    if (value == 0) return "0";
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(precision, RoundingMode.HALF_EVEN));
    BigDecimal stripped = rounded.stripTrailingZeros();
    int exponent = stripped.precision() - stripped.scale() - 1;
    if (exponent < -4 || exponent >= precision) {
      String digits = stripped.unscaledValue().abs().toString();
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String sign = exponent < 0 ? "-" : "+";
      int abs = Math.abs(exponent);
      return mantissa + "e" + sign + (abs < 10 ? "0" + abs : Integer.toString(abs));
    }
    return stripped.toPlainString();
  }

  /** go-units {@code HumanDuration}: "Less than a second", "About a minute", "2 hours", "3 weeks". */
  public static String humanDuration(Duration d) {
    double totalSeconds = d.toNanos() / 1e9;
    long seconds = (long) totalSeconds;
    if (seconds < 1) return "Less than a second";
    if (seconds == 1) return "1 second";
    if (seconds < 60) return seconds + " seconds";
    long minutes = (long) (totalSeconds / 60);
    if (minutes == 1) return "About a minute";
    if (minutes < 60) return minutes + " minutes";
    double totalHours = totalSeconds / 3600;
    long hours = (long) (totalHours + 0.5);
    if (hours == 1) return "About an hour";
    if (hours < 48) return hours + " hours";
    if (hours < 24 * 7 * 2) return hours / 24 + " days";
    if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
    if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
    return (long) totalHours / 24 / 365 + " years";
  }
}
