package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link HumanUnits} against the values documented in docker/go-units' size_test.go and duration_test.go. */
class HumanUnitsTest {
  private static final double KB = 1000, MB = 1000 * KB, GB = 1000 * MB, TB = 1000 * GB, PB = 1000 * TB;
  private static final Duration DAY = Duration.ofDays(1), WEEK = DAY.multipliedBy(7),
      MONTH = DAY.multipliedBy(30), YEAR = DAY.multipliedBy(365);

  static Stream<Arguments> humanSize() {
    return Stream.of(
        Arguments.of(1000d, "1kB"), Arguments.of(1024d, "1.024kB"), Arguments.of(1000000d, "1MB"),
        Arguments.of(1048576d, "1.049MB"), Arguments.of(2 * MB, "2MB"), Arguments.of(3.42 * GB, "3.42GB"),
        Arguments.of(5.372 * TB, "5.372TB"), Arguments.of(2.22 * PB, "2.22PB"),
        Arguments.of(10000000000000d * PB, "1e+04YB"));
  }

  @ParameterizedTest
  @MethodSource
  void humanSize(double bytes, String expected) {
    assertEquals(expected, HumanUnits.humanSize(bytes));
  }

  static Stream<Arguments> humanSizeWithPrecision3() {
    return Stream.of(
        Arguments.of(0L, "0B"), Arguments.of(999L, "999B"), Arguments.of(1000L, "1kB"),
        Arguments.of(4_862_000L, "4.86MB"), Arguments.of(1_240_000_000L, "1.24GB"),
        Arguments.of(4_261_550L, "4.26MB"), Arguments.of(12_000L, "12kB"), Arguments.of(120_500L, "120kB"),
        Arguments.of(10_500L, "10.5kB"), Arguments.of(999_999L, "1e+03kB"), Arguments.of(72_800_000L, "72.8MB"));
  }

  @ParameterizedTest
  @MethodSource
  void humanSizeWithPrecision3(long bytes, String expected) {
    assertEquals(expected, HumanUnits.humanSize(bytes, 3));
  }

  /** go-units BytesSize ("%.4g" over 1024-based units), as docker stats prints memory. */
  static Stream<Arguments> bytesSize() {
    return Stream.of(Arguments.of(0L, "0B"), Arguments.of(1023L, "1023B"), Arguments.of(1024L, "1KiB"),
        Arguments.of(1536L, "1.5KiB"), Arguments.of(319_488L, "312KiB"), Arguments.of(67_108_864L, "64MiB"),
        Arguments.of(25_276_157_952L, "23.54GiB"), Arguments.of(1_048_575L, "1024KiB"));
  }

  @ParameterizedTest
  @MethodSource
  void bytesSize(long bytes, String expected) {
    assertEquals(expected, HumanUnits.bytesSize(bytes));
  }

  static Stream<Arguments> humanDuration() {
    return Stream.of(
        Arguments.of(Duration.ofMillis(450), "Less than a second"),
        Arguments.of(Duration.ofSeconds(1), "1 second"),
        Arguments.of(Duration.ofSeconds(45), "45 seconds"),
        Arguments.of(Duration.ofSeconds(59), "59 seconds"),
        Arguments.of(Duration.ofSeconds(60), "About a minute"),
        Arguments.of(Duration.ofMinutes(3), "3 minutes"),
        Arguments.of(Duration.ofMinutes(35).plusSeconds(40), "35 minutes"),
        Arguments.of(Duration.ofMinutes(59), "59 minutes"),
        Arguments.of(Duration.ofHours(1), "About an hour"),
        Arguments.of(Duration.ofHours(1).plusMinutes(29), "About an hour"),
        Arguments.of(Duration.ofHours(1).plusMinutes(31), "2 hours"),
        Arguments.of(Duration.ofHours(1).plusMinutes(45), "2 hours"),
        Arguments.of(Duration.ofHours(3).plusMinutes(29), "3 hours"),
        Arguments.of(Duration.ofHours(3).plusMinutes(31), "4 hours"),
        Arguments.of(Duration.ofHours(3).plusMinutes(60), "4 hours"),
        Arguments.of(Duration.ofHours(24), "24 hours"),
        Arguments.of(DAY.plusHours(12), "36 hours"),
        Arguments.of(DAY.multipliedBy(2), "2 days"),
        Arguments.of(DAY.multipliedBy(7), "7 days"),
        Arguments.of(DAY.multipliedBy(13).plusHours(5), "13 days"),
        Arguments.of(WEEK.multipliedBy(2), "2 weeks"),
        Arguments.of(WEEK.multipliedBy(2).plus(DAY.multipliedBy(4)), "2 weeks"),
        Arguments.of(WEEK.multipliedBy(3), "3 weeks"),
        Arguments.of(WEEK.multipliedBy(4).plus(DAY.multipliedBy(3)), "4 weeks"),
        Arguments.of(MONTH, "4 weeks"),
        Arguments.of(MONTH.plus(WEEK.multipliedBy(2)), "6 weeks"),
        Arguments.of(MONTH.multipliedBy(2), "2 months"),
        Arguments.of(MONTH.multipliedBy(3).plus(WEEK), "3 months"),
        Arguments.of(MONTH.multipliedBy(5).plus(WEEK.multipliedBy(2)), "5 months"),
        Arguments.of(MONTH.multipliedBy(13), "13 months"),
        Arguments.of(MONTH.multipliedBy(24), "24 months"),
        Arguments.of(MONTH.multipliedBy(24).plus(WEEK.multipliedBy(2)), "2 years"),
        Arguments.of(YEAR.multipliedBy(3).plus(MONTH.multipliedBy(2)), "3 years"),
        Arguments.of(Duration.ofSeconds(-5), "Less than a second"));
  }

  @ParameterizedTest
  @MethodSource
  void humanDuration(Duration d, String expected) {
    assertEquals(expected, HumanUnits.humanDuration(d));
  }
}
