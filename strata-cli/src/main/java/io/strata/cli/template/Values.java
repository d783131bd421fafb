package io.strata.cli.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values templates compute with, as Go sees them: {@link Nothing}, {@code Boolean}, {@code Long}
 * (Go's int), {@code Double} (float64), {@link Complex}, {@code String}, {@link GoList},
 * {@link GoMap}, {@link Struct} and {@link Func}. JSON converts as Go's {@code encoding/json} decodes
 * it into typed fields: integers stay integers, objects are maps, {@code null} is a typed nil.
 */
public final class Values {
  private Values() {}

  /** {@code data} as a template value: JSON trees, Java maps, lists, numbers, strings, booleans. */
  public static Object of(Object data) {
    return switch (data) {
      case null -> Nothing.NIL;
      case JsonNode node -> fromJson(node);
      case Nothing n -> n;
      case Boolean b -> b;
      case String s -> s;
      case Long l -> l;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Byte b -> (long) b;
      case Character c -> (long) c;
      case Double d -> d;
      case Float f -> (double) f;
      case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b.doubleValue();
      case BigDecimal b -> b.doubleValue();
      case Complex c -> c;
      case GoList l -> l;
      case GoMap m -> m;
      case Struct s -> s;
      case Func f -> f;
      case Map<?, ?> m -> {
        Map<String, Object> entries = new LinkedHashMap<>();
        m.forEach((k, v) -> entries.put(String.valueOf(k), of(v)));
        yield new GoMap(entries);
      }
      case Collection<?> c -> {
        List<Object> items = new ArrayList<>(c.size());
        for (Object o : c) items.add(of(o));
        yield new GoList(items);
      }
      case Object[] a -> of(java.util.Arrays.asList(a));
      default -> throw new IllegalArgumentException("no template value for " + data.getClass().getName());
    };
  }

  /** A Go map of {@code entries} that also has methods, as Docker's table header map has {@code Label}. */
  public static Object mapWithMethods(Map<String, ?> entries, Map<String, Func> methods) {
    Map<String, Object> values = new LinkedHashMap<>();
    entries.forEach((k, v) -> values.put(k, of(v)));
    return new GoMap(values, methods);
  }

  static Object fromJson(JsonNode node) {
    if (node == null || node.isMissingNode()) return Nothing.NO_VALUE;
    return switch (node.getNodeType()) {
      case NULL -> Nothing.NIL;
      case BOOLEAN -> node.booleanValue();
      case STRING -> node.textValue();
      case NUMBER -> node.isIntegralNumber()
          ? (node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue())
          : node.doubleValue();
      case ARRAY -> {
        List<Object> items = new ArrayList<>(node.size());
        for (JsonNode n : node) items.add(fromJson(n));
        yield new GoList(items);
      }
      case OBJECT -> {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) entries.put(e.getKey(), fromJson(e.getValue()));
        yield new GoMap(entries);
      }
      default -> node.asText();
    };
  }

  /** Go's {@code %T}: int, float64, string, []string, map[string]interface {}, ... */
  public static String typeName(Object v) {
    return switch (v) {
      case Nothing n -> "<nil>";
      case Boolean b -> "bool";
      case Long l -> "int";
      case Double d -> "float64";
      case Complex c -> "complex128";
      case String s -> "string";
      case GoList l -> l.goType();
      case GoMap m -> m.goType();
      case Struct s -> s.goType();
      case Func f -> f.goType();
      default -> v.getClass().getSimpleName();
    };
  }

  /** The element type shared by all values, as Go would have declared it; empty collections hold strings. */
  static String commonType(Collection<Object> values) {
    String common = null;
    for (Object v : values) {
      String t = v instanceof Nothing ? "interface {}" : typeName(v);
      if (common == null) common = t;
      else if (!common.equals(t)) return "interface {}";
    }
    return common == null ? "string" : common;
  }

  /** Go's truth of a value for {@code if}, {@code with}, {@code and}, {@code or}, {@code not}. */
  static boolean isTrue(Object v) {
    return switch (v) {
      case Nothing n -> false;
      case Boolean b -> b;
      case Long l -> l != 0;
      case Double d -> d != 0;
      case Complex c -> c.re() != 0 || c.im() != 0;
      case String s -> !s.isEmpty();
      case GoList l -> l.size() > 0;
      case GoMap m -> m.size() > 0;
      default -> true; // structs and functions
    };
  }

  /** Strings in Go's order (bytes of UTF-8, which is code point order). */
  static int compareStrings(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
