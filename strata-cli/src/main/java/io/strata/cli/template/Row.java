package io.strata.cli.template;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a listing ({@code ps}, {@code images}, {@code history}) as Docker's formatter context
 * exposes it to {@code --format}: string fields by name, plus methods that take arguments. A row
 * with labels has Docker's {@code .Labels} ({@code k=v} pairs, sorted, joined by commas) and
 * {@code .Label NAME} (the value, or "" when absent). Immutable.
 */
public final class Row implements Struct {
  private final String goType;
  private final Map<String, String> fields;
  private final Map<String, Func> methods;

  private Row(String goType, Map<String, String> fields, Map<String, Func> methods) {
    this.goType = goType;
    this.fields = fields;
    this.methods = methods;
  }

  /** A row of the Go type {@code goType} (for messages, e.g. {@code *formatter.ImageContext}) with these fields. */
  public static Row of(String goType, Map<String, String> fields) {
    return new Row(goType, new LinkedHashMap<>(fields), Map.of());
  }

  /** This row with a field added or replaced. */
  public Row with(String name, String value) {
    Map<String, String> f = new LinkedHashMap<>(fields);
    f.put(name, value);
    return new Row(goType, f, methods);
  }

  /** This row with a method added (a function of the row taking arguments). */
  public Row with(Func method) {
    Map<String, Func> m = new LinkedHashMap<>(methods);
    m.put(method.name(), method);
    return new Row(goType, fields, Map.copyOf(m));
  }

  /** This row with Docker's {@code .Labels} field and {@code .Label NAME} method over {@code labels}. */
  public Row withLabels(Map<String, String> labels) {
    Map<String, String> copy = Map.copyOf(labels);
    StringBuilder joined = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(copy).entrySet()) {
      if (!joined.isEmpty()) joined.append(',');
      joined.append(e.getKey()).append('=').append(e.getValue());
    }
    return with("Labels", joined.toString())
        .with(Func.of("Label", args -> copy.getOrDefault((String) args.getFirst(), ""), Func.Type.STRING));
  }

  @Override
  public String goType() {
    return goType;
  }

  @Override
  public Object member(String name) {
    Func m = methods.get(name);
    if (m != null) return m;
    return fields.get(name);
  }

  @Override
  public Collection<String> fieldNames() {
    return List.copyOf(fields.keySet());
  }

  /** The field values, by name. */
  public Map<String, String> fields() {
    return Map.copyOf(fields);
  }

  @Override
  public String json() {
    Map<String, Object> sorted = new TreeMap<>(Values::compareStrings);
    sorted.putAll(fields);
    return GoJson.encode(new GoMap(sorted), true);
  }

  @Override
  public String toString() {
    return GoFmt.sprint(List.of(this));
  }
}
