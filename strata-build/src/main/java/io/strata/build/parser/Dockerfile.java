package io.strata.build.parser;

import java.util.List;
import java.util.Map;

/** A parsed Dockerfile: its instructions, the escape character, its parser directives, warnings. */
public record Dockerfile(List<Node> instructions, char escape, Map<String, String> directives, List<String> warnings) {
  public Dockerfile {
    instructions = List.copyOf(instructions);
    directives = Map.copyOf(directives);
    warnings = List.copyOf(warnings);
  }

  /** BuildKit's AST dump: one line per instruction, the whole trimmed (the golden files add a final newline). */
  public String dump() {
    StringBuilder b = new StringBuilder();
    for (Node n : instructions) b.append(n.dump()).append('\n');
    return b.toString().strip();
  }
}
