package io.strata.build;

import io.strata.oci.Healthcheck;
import java.util.List;

/** Go's {@code %v} renderings that BuildKit puts in history texts. */
final class GoText {
  private GoText() {}

  /** {@code &{["CMD-SHELL" "echo ok"] "30s" "3s" "0s" '\x02'}}: the test, three durations, retries as a rune. */
  static String healthcheck(Healthcheck h) {
    List<String> test = h.test() == null ? List.of() : h.test();
    return "&{" + quotedList(test) + " \"" + duration(h.interval()) + "\" \""
        + duration(h.timeout()) + "\" \"" + duration(h.startPeriod()) + "\" " + rune(h.retries() == null ? 0 : h.retries()) + "}";
  }

  static String duration(Long nanos) {
    return io.strata.oci.GoDuration.format(java.time.Duration.ofNanos(nanos == null ? 0 : nanos));
  }

  /** A string slice as BuildKit writes CMD and ENTRYPOINT: {@code ["sh" "-c" "x"]}. */
  static String quotedList(List<String> l) {
    return "[" + String.join(" ", l.stream().map(GoText::quote).toList()) + "]";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Go's %q of a rune. */
  static String rune(int r) {
    return switch (r) {
      case 7 -> "'\\a'";
      case 8 -> "'\\b'";
      case 9 -> "'\\t'";
      case 10 -> "'\\n'";
      case 11 -> "'\\v'";
      case 12 -> "'\\f'";
      case 13 -> "'\\r'";
      case '\'' -> "'\\''";
      case '\\' -> "'\\\\'";
      default -> r < 0x20 || r == 0x7f ? String.format("'\\x%02x'", r) : "'" + Character.toString(r) + "'";
    };
  }
}
