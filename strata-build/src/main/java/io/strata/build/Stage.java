package io.strata.build;

import io.strata.build.parser.Node;
import java.util.List;

/** One {@code FROM} and the instructions up to the next: its position, its {@code AS} name (or null). */
record Stage(int index, String name, Node from, List<Node> body) {
  boolean answersTo(String ref) {
    return ref.equalsIgnoreCase(name == null ? "" : name) || ref.equals(Integer.toString(index));
  }
}
