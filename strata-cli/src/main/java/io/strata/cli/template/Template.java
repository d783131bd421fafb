package io.strata.cli.template;

import java.util.HashMap;
import java.util.Map;

/**
 * A parsed Go {@code text/template}: Go's syntax and semantics, written for strata (see the package
 * documentation). Parse once, execute on any data {@link Values#of} accepts; a parse or execution
 * failure is a {@link TemplateException} with Go's message.
 */
public final class Template {
  private final String name;
  private final Map<String, Tree> trees;
  private final Map<String, Func> funcs;

  private Template(String name, Map<String, Tree> trees, Map<String, Func> funcs) {
    this.name = name;
    this.trees = trees;
    this.funcs = funcs;
  }

  /**
   * Parses {@code text} as the template {@code name} with Go's builtin functions and {@code funcs}
   * (which take precedence over builtins of the same name, as Go's {@code Funcs} do).
   */
  public static Template parse(String name, String text, Map<String, Func> funcs) {
    Map<String, Func> copy = Map.copyOf(funcs);
    Map<String, Tree> trees = Parser.parse(name, text, f -> copy.containsKey(f) || Builtins.has(f));
    return new Template(name, Map.copyOf(trees), copy);
  }

  /** Parses {@code text} as the anonymous template "" with Go's builtin functions only. */
  public static Template parse(String text) {
    return parse("", text, Map.of());
  }

  /** This template with functions replaced or added (Go's {@code Funcs} after parsing). */
  public Template withFuncs(Map<String, Func> replacements) {
    Map<String, Func> merged = new HashMap<>(funcs);
    merged.putAll(replacements);
    return new Template(name, trees, Map.copyOf(merged));
  }

  /** Executes the template on {@code data}, appending to {@code out}: on failure, what was written stays. */
  public void execute(Object data, StringBuilder out) {
    Executor.execute(trees, funcs, name, Values.of(data), out);
  }

  /** The template's output for {@code data}. */
  public String execute(Object data) {
    StringBuilder sb = new StringBuilder();
    execute(data, sb);
    return sb.toString();
  }

  public String name() {
    return name;
  }

  /** Go's {@code Tree.Root.String()} of the template, texts quoted as Go's parse tests print them. */
  String treeString() {
    Tree t = trees.get(name);
    return t == null ? "" : Node.format(t.root(), true);
  }
}
