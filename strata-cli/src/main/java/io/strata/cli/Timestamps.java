package io.strata.cli;

import io.strata.oci.GoDuration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Docker's {@code --since}/{@code --until} values: a Go duration before now ({@code 10m}), an
 * RFC 3339 time with or without zone or seconds' fraction, a date, or Unix seconds
 * ({@code 1136073600.000000001}).
 */
final class Timestamps {
  private Timestamps() {}

  static Instant parse(String value, Instant now, String flag) {
    if (value == null || value.isEmpty()) return null;
    try {
      return parseOrThrow(value, now, flag);
    } catch (java.time.DateTimeException | ArithmeticException outOfRange) { // beyond Instant's years, as Go's int64
      throw new ExitCodes.UsageException("invalid value for \"" + flag + "\": strconv.ParseInt: parsing \"" + value
          + "\": value out of range");
    }
  }

  private static Instant parseOrThrow(String value, Instant now, String flag) {
    Duration d = GoDuration.parse(value);
    if (d != null && !value.matches("\\d+(\\.\\d+)?")) return now.minus(d);
    if (value.matches("\\d+(\\.\\d{1,9})?")) {
      BigDecimal seconds = new BigDecimal(value);
      // whole seconds exactly (an overflow is out of range), then the fraction as nanoseconds
      return Instant.ofEpochSecond(seconds.setScale(0, java.math.RoundingMode.DOWN).longValueExact(),
          seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notWithZone) {
      // next form
    }
    try {
      return LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant();
    } catch (DateTimeParseException notLocal) {
      // next form
    }
    try {
      return LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant();
    } catch (DateTimeParseException notADate) {
      throw new ExitCodes.UsageException("invalid value for \"" + flag + "\": failed to parse value as time or duration: \""
          + value + "\"");
    }
  }
}
