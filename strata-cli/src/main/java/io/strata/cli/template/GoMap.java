package io.strata.cli.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Go map of template values (a JSON object): {@code .key} reads an entry ({@code <no value>} when
 * absent), {@code range} and printing visit keys in sorted order. The element type is inferred from
 * the values as for {@link GoList} (it decides what {@code index} returns for an absent key: 0 for
 * integers, "" for strings and for an empty map); an object whose keys are all decimal integers is
 * a map with integer keys ({@code index m 2}), sorted numerically. A map may also carry methods,
 * as Docker's table header map has {@code Label}.
 */
public final class GoMap {
  private final Map<String, Object> entries;
  private final Map<String, Func> methods;
  private List<String> sortedKeys;
  private Boolean intKeys;
  private String elemType;

  GoMap(Map<String, Object> entries) {
    this(entries, Map.of());
  }

  GoMap(Map<String, Object> entries, Map<String, Func> methods) {
    this.entries = new LinkedHashMap<>(entries);
    this.methods = Map.copyOf(methods);
  }

  public int size() {
    return entries.size();
  }

  /** The entry for {@code key}, or {@link Nothing#NO_VALUE}. */
  public Object get(String key) {
    Object v = entries.get(key);
    return v == null ? Nothing.NO_VALUE : v;
  }

  boolean containsKey(String key) {
    return entries.containsKey(key);
  }

  Func method(String name) {
    return methods.get(name);
  }

  /** Keys in document order, as a struct's fields are marshalled. */
  Set<String> keys() {
    return entries.keySet();
  }

  Collection<Object> values() {
    return entries.values();
  }

  /** Keys in Go's order for maps: numerically for integer keys, else by code point. */
  List<String> sortedKeys() {
    if (sortedKeys == null) {
      List<String> keys = new ArrayList<>(entries.keySet());
      keys.sort(intKeys() ? Comparator.comparing(java.math.BigInteger::new) : Values::compareStrings);
      sortedKeys = List.copyOf(keys);
    }
    return sortedKeys;
  }

  boolean intKeys() {
    if (intKeys == null) {
      intKeys = !entries.isEmpty() && entries.keySet().stream().allMatch(k -> k.matches("-?[0-9]{1,18}"));
    }
    return intKeys;
  }

  /** The key as Go's range yields it: an int for a map with integer keys. */
  Object keyValue(String key) {
    return intKeys() ? (Object) Long.parseLong(key) : key;
  }

  String elemType() {
    if (elemType == null) elemType = Values.commonType(entries.values());
    return elemType;
  }

  /** The zero value of the element type: what {@code index} returns for an absent key. */
  Object zero() {
    return switch (elemType()) {
      case "string" -> "";
      case "int" -> 0L;
      case "float64" -> 0.0;
      case "bool" -> false;
      default -> Nothing.NO_VALUE;
    };
  }

  String goType() {
    return "map[" + (intKeys() ? "int" : "string") + "]" + elemType();
  }
}
