package io.strata.cli;

import java.util.Map;
import java.util.TreeMap;

/**
 * One flat JSON object per line, as docker's {@code --format '{{json .}}'} prints: keys sorted,
 * string values, and Go's {@code encoding/json} escaping (which also escapes {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029, so "&lt;none&gt;" reads {@code "\u003cnone\u003e"}).
 */
public final class JsonLine {
  private final TreeMap<String, String> fields = new TreeMap<>();

  public JsonLine put(String key, String value) {
    fields.put(key, value);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (sb.length() > 1) sb.append(',');
      quote(sb, e.getKey());
      sb.append(':');
      quote(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
