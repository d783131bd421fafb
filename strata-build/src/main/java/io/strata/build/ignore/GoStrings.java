package io.strata.build.ignore;

/** Go's {@code strings.TrimSpace}, whose notion of space differs from {@link String#strip()}. */
final class GoStrings {
  private GoStrings() {}

  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
    while (end > start && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
    return s.substring(start, end);
  }

  /** Go's {@code unicode.IsSpace}: Latin-1 spaces (NEL and NBSP included), then Unicode's Z categories. */
  private static boolean isSpace(int ch) {
    if (ch <= 0xff) return ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == 0x85 || ch == 0xa0;
    return Character.isSpaceChar(ch);
  }
}
