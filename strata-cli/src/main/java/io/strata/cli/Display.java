package io.strata.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How docker renders IDs, times and long texts in listings. */
public final class Display {
  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx", Locale.ROOT);
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

  private Display() {}

  /** docker's {@code stringid.TruncateID}: drop the algorithm, keep 12 characters. */
  public static String truncateId(String id) {
    int colon = id.indexOf(':');
    String hex = colon < 0 ? id : id.substring(colon + 1);
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  /** "2 hours ago", or "N/A" when the time is unknown. */
  public static String since(Instant created, Instant now) {
    if (created == null) return "N/A";
    return HumanUnits.humanDuration(Duration.between(created, now)) + " ago";
  }

  /** Go's {@code time.Time.String()} at second precision: "2024-01-02 15:04:05 +0000 UTC". */
  public static String goTime(Instant t, ZoneId zone) {
    if (t == null) return "";
    ZonedDateTime z = t.truncatedTo(ChronoUnit.SECONDS).atZone(zone);
    String name = z.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT);
    if (z.getOffset().getTotalSeconds() == 0 && (name.equals("Z") || name.startsWith("GMT") || name.equals("UTC"))) {
      name = "UTC";
    }
    return GO_TIME.format(z) + " " + name;
  }

  /** Go's {@code time.RFC3339}: "2024-01-02T15:04:05Z" or with a numeric offset. */
  public static String rfc3339(Instant t, ZoneId zone) {
    if (t == null) return "";
    return RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
  }

  /** docker's {@code formatter.Ellipsis}: at most {@code max} code points, the last one "…". */
  public static String ellipsis(String s, int max) {
    int length = s.codePointCount(0, s.length());
    if (length <= max) return s;
    int end = s.offsetByCodePoints(0, max - 1);
    return s.substring(0, end) + "…";
  }
}
