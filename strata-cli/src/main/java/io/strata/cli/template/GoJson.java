package io.strata.cli.template;

/**
 * Go's {@code encoding/json} for template values, compact: strings escaped as Go does
 * (control characters, U+2028 and U+2029; {@code <}, {@code >}, {@code &} only when
 * {@code escapeHtml}), floats in Go's form ({@code 1.5}, {@code 1e+21}, {@code 1e-7}), maps in
 * their own order (JSON objects keep the order of the document, as a struct keeps its fields').
 */
final class GoJson {
  private static final String HEX = "0123456789abcdef";

  private GoJson() {}

  /** The encoding of {@code v}, or null when Go cannot encode it (complex numbers, functions, NaN, infinities). */
  static String encode(Object v, boolean escapeHtml) {
    StringBuilder sb = new StringBuilder();
    return write(sb, v, escapeHtml) ? sb.toString() : null;
  }

  private static boolean write(StringBuilder sb, Object v, boolean escapeHtml) {
    switch (v) {
      case Nothing n -> sb.append("null");
      case Boolean b -> sb.append(b);
      case Long l -> sb.append(l);
      case Double d -> {
        if (d.isNaN() || d.isInfinite()) return false;
        sb.append(formatFloat(d));
      }
      case String s -> quote(sb, s, escapeHtml);
      case GoList l -> {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) sb.append(',');
          if (!write(sb, l.get(i), escapeHtml)) return false;
        }
        sb.append(']');
      }
      case GoMap m -> {
        sb.append('{');
        int i = 0;
        for (String key : m.keys()) {
          if (i++ > 0) sb.append(',');
          quote(sb, key, escapeHtml);
          sb.append(':');
          if (!write(sb, m.get(key), escapeHtml)) return false;
        }
        sb.append('}');
      }
      case Struct s -> sb.append(s.json());
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Go's float64 encoding: like %g, but with ES6's exponent cut-offs and exponents not padded. */
  static String formatFloat(double f) {
    double abs = Math.abs(f);
    boolean exp = abs != 0 && (abs < 1e-6 || abs >= 1e21);
    String s = GoNumbers.formatFloat(f, exp ? 'e' : 'f', -1);
    if (exp) {
      int n = s.length();
      if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
        s = s.substring(0, n - 2) + s.charAt(n - 1);
      }
    }
    return s;
  }

  static void quote(StringBuilder sb, String s, boolean escapeHtml) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\', '"' -> sb.append('\\').append(c);
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\u2028', '\u2029' -> sb.append("\\u202").append(HEX.charAt(c & 0xf));
        default -> {
          if (c < 0x20 || escapeHtml && (c == '<' || c == '>' || c == '&')) {
            sb.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append("\\ufffd");
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
