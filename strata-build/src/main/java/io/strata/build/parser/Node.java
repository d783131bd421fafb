package io.strata.build.parser;

import java.util.List;

/**
 * One instruction as BuildKit's parser gives it: the keyword lower-cased, the logical line as
 * written ({@code original}, continuations joined, trimmed), the {@code --flags}, the arguments (see
 * the parser), the nested instruction of an ONBUILD, 1-based first and last lines, and heredocs.
 */
public record Node(String keyword, String original, List<String> flags, List<String> args, Node next, int startLine,
    int endLine, List<Heredoc> heredocs) {
  public Node {
    flags = List.copyOf(flags);
    args = List.copyOf(args);
    heredocs = List.copyOf(heredocs);
  }

  /** BuildKit's {@code Node.Dump()} of this instruction: {@code (keyword [flags] "arg" ...)}. */
  public String dump() {
    StringBuilder b = new StringBuilder("(").append(keyword);
    if (!flags.isEmpty()) {
      b.append(" [").append(String.join(" ", flags.stream().map(GoQuote::quote).toList())).append(']');
    }
    if (next != null) b.append(' ').append(next.dump());
    for (String a : args) b.append(' ').append(GoQuote.quote(a));
    return b.append(')').toString();
  }
}
