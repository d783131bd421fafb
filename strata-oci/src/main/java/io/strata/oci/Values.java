package io.strata.oci;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Defensive copies and shared checks for the value records (package-private). */
final class Values {
  /** RFC 6838 media type as the OCI descriptor schema states it. */
  static final Pattern MEDIA_TYPE = Pattern.compile(
      "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

  private Values() {}

  /** An unmodifiable copy, or null for null; null elements are refused. */
  static <T> List<T> list(List<T> in, String what) {
    if (in == null) return null;
    List<T> out = new ArrayList<>(in.size());
    for (T t : in) {
      if (t == null) throw new InvalidArgumentException(what + ": null element");
      out.add(t);
    }
    return Collections.unmodifiableList(out);
  }

  /** An unmodifiable copy sorted by key (Go writes maps that way), or null for null. */
  static <V> Map<String, V> map(Map<String, V> in, String what) {
    if (in == null) return null;
    TreeMap<String, V> out = new TreeMap<>();
    for (Map.Entry<String, V> e : in.entrySet()) {
      if (e.getKey() == null) throw new InvalidArgumentException(what + ": null key");
      out.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(out);
  }

  /** Like {@link #map} for Docker's string sets ({@code "80/tcp": {}}), copying the inner maps too. */
  static Map<String, Map<String, Object>> set(Map<String, Map<String, Object>> in, String what) {
    if (in == null) return null;
    TreeMap<String, Map<String, Object>> out = new TreeMap<>();
    for (Map.Entry<String, Map<String, Object>> e : in.entrySet()) {
      if (e.getKey() == null) throw new InvalidArgumentException(what + ": null key");
      Map<String, Object> inner = e.getValue() == null ? Map.of() : e.getValue();
      out.put(e.getKey(), Collections.unmodifiableMap(new TreeMap<>(inner)));
    }
    return Collections.unmodifiableMap(out);
  }

  static void requireMediaType(String mediaType, String what) {
    if (mediaType == null || !MEDIA_TYPE.matcher(mediaType).matches()) {
      throw new InvalidArgumentException(what + ": invalid media type " + quote(mediaType));
    }
  }

  static String quote(String s) {
    if (s == null) return "null";
    String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "\"" + shown.replace("\n", "\\n") + "\"";
  }
}
