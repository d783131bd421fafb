package io.strata.cli.template;

import java.util.List;

/**
 * A Go slice of template values (a JSON array). Its element type is inferred from its elements,
 * as a Go program decoding the same JSON into typed fields would have it: all strings make a
 * {@code []string} (so {@code join} takes it), all integers a {@code []int}; an empty list is taken
 * as a {@code []string}.
 */
public final class GoList {
  private final List<Object> items;
  private String elemType;

  GoList(List<Object> items) {
    this.items = List.copyOf(items);
  }

  public int size() {
    return items.size();
  }

  public Object get(int i) {
    return items.get(i);
  }

  List<Object> items() {
    return items;
  }

  List<Object> subList(int from, int to) {
    return items.subList(from, to);
  }

  boolean allStrings() {
    return elemType().equals("string");
  }

  String elemType() {
    if (elemType == null) elemType = Values.commonType(items);
    return elemType;
  }

  String goType() {
    return "[]" + elemType();
  }
}
