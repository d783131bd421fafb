package io.strata.cli.template;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Go's {@code strconv.Unquote} and {@code UnquoteChar} for template literals, and complex constants. */
final class Literals {
  private Literals() {}

  /** The value of a Go string literal ("..." or `...`), or null when it is malformed. */
  static String unquote(String s) {
    int n = s.length();
    if (n < 2) return null;
    char q = s.charAt(0);
    if (q != s.charAt(n - 1)) return null;
    String body = s.substring(1, n - 1);
    if (q == '`') {
      if (body.indexOf('`') >= 0) return null;
      return body.replace("\r", "");
    }
    if (q != '"' || body.indexOf('\n') >= 0) return null;
    if (body.indexOf('\\') < 0 && body.indexOf('"') < 0) return body;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < body.length(); ) {
      int[] r = unquoteChar(body, i, '"');
      if (r == null) return null;
      if (r[2] == 1) {
        bytes.write(r[0]);
      } else {
        byte[] b = new String(Character.toChars(r[0])).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
      i = r[1];
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * One character of a quoted literal at {@code i}: {value, index after it, 1 when the value is a raw
   * byte (\x or octal escape) else 0}, or null when it is malformed.
   */
  static int[] unquoteChar(String s, int i, char quote) {
    if (i >= s.length()) return null;
    int c = s.codePointAt(i);
    if (c == quote) return null;
    if (c != '\\') return new int[] {c, i + Character.charCount(c), 0};
    if (i + 1 >= s.length()) return null;
    char e = s.charAt(i + 1);
    i += 2;
    switch (e) {
      case 'a' -> {
        return new int[] {7, i, 0};
      }
      case 'b' -> {
        return new int[] {'\b', i, 0};
      }
      case 'f' -> {
        return new int[] {'\f', i, 0};
      }
      case 'n' -> {
        return new int[] {'\n', i, 0};
      }
      case 'r' -> {
        return new int[] {'\r', i, 0};
      }
      case 't' -> {
        return new int[] {'\t', i, 0};
      }
      case 'v' -> {
        return new int[] {11, i, 0};
      }
      case 'x', 'u', 'U' -> {
        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + n > s.length()) return null;
        int v = 0;
        for (int k = 0; k < n; k++) {
          int d = Character.digit(s.charAt(i + k), 16);
          if (d < 0 || s.charAt(i + k) >= 128) return null;
          v = (v << 4) | d;
        }
        if (e == 'x') return new int[] {v, i + n, quote == '\'' ? 0 : 1};
        if (v < 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) return null;
        return new int[] {v, i + n, 0};
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        int v = e - '0';
        if (i + 2 > s.length()) return null;
        for (int k = 0; k < 2; k++) {
          int d = s.charAt(i + k) - '0';
          if (d < 0 || d > 7) return null;
          v = (v << 3) | d;
        }
        if (v > 255) return null;
        return new int[] {v, i + 2, quote == '\'' ? 0 : 1};
      }
      case '\\' -> {
        return new int[] {'\\', i, 0};
      }
      case '\'', '"' -> {
        if (e != quote) return null;
        return new int[] {e, i, 0};
      }
      default -> {
        return null;
      }
    }
  }

  /** A complex constant such as {@code 1+2i} or {@code -1.2e3-4i}, or null. */
  static Complex parseComplex(String text) {
    if (!text.endsWith("i")) return null;
    for (int k = text.length() - 2; k > 0; k--) {
      char c = text.charAt(k);
      if ((c == '+' || c == '-') && "eEpP".indexOf(text.charAt(k - 1)) < 0) {
        Double re = GoNumbers.parseFloat(text.substring(0, k));
        Double im = GoNumbers.parseFloat(text.substring(k, text.length() - 1));
        return re == null || im == null ? null : new Complex(re, im);
      }
    }
    return null;
  }
}
