package io.strata.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Go's time.ParseDuration and Duration.String, cases from Go's own table. */
class GoDurationTest {
  @Test
  void parsesGosSyntax() {
    assertEquals(Duration.ZERO, GoDuration.parse("0"));
    assertEquals(Duration.ofSeconds(5), GoDuration.parse("5s"));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
    assertEquals(Duration.ofMinutes(90), GoDuration.parse("1.5h"));
    assertEquals(Duration.ofSeconds(3723), GoDuration.parse("1h2m3s"));
    assertEquals(Duration.ofNanos(1_001_001), GoDuration.parse("1ms1us1ns"));
    assertEquals(Duration.ofNanos(2_000), GoDuration.parse("2µs"));
    assertEquals(Duration.ofMillis(-300), GoDuration.parse("-300ms"));
    assertEquals(Duration.ofMillis(500), GoDuration.parse(".5s"));
    for (String bad : new String[] {"", "3", "s", "1x", "1.2.3s", "-", "1s2", "9999999999h", "2562048h", "-2562048h"}) {
      assertNull(GoDuration.parse(bad), bad); // the last three overflow Go's int64 nanoseconds, as Go's ParseDuration says
    }
    assertEquals(java.time.Duration.ofNanos(Long.MAX_VALUE), GoDuration.parse("9223372036854775807ns"));
    assertEquals(java.time.Duration.ofNanos(Long.MIN_VALUE), GoDuration.parse("-9223372036854775808ns"));
  }

  @Test
  void printsAsGo() {
    assertEquals("0s", GoDuration.format(Duration.ZERO));
    assertEquals("1ns", GoDuration.format(Duration.ofNanos(1)));
    assertEquals("1.1µs", GoDuration.format(Duration.ofNanos(1100)));
    assertEquals("2.2ms", GoDuration.format(Duration.ofNanos(2_200_000)));
    assertEquals("3.3s", GoDuration.format(Duration.ofMillis(3300)));
    assertEquals("4m5s", GoDuration.format(Duration.ofSeconds(245)));
    assertEquals("4m5.001s", GoDuration.format(Duration.ofMillis(245_001)));
    assertEquals("5h6m7.001s", GoDuration.format(Duration.ofMillis(18_367_001)));
    assertEquals("8m0.000000001s", GoDuration.format(Duration.ofNanos(480_000_000_001L)));
    assertEquals("1h0m0s", GoDuration.format(Duration.ofHours(1)));
    assertEquals("-30s", GoDuration.format(Duration.ofSeconds(-30)));
  }
}
