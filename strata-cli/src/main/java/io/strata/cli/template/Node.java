package io.strata.cli.template;

import java.util.List;

/**
 * The parse tree of a template, as Go's {@code text/template/parse} builds it. Every node knows its
 * position (a char index into the template text) for error messages; {@link #toString()} is Go's
 * {@code String()} of the node, which messages quote ({@code executing "" at <.Foo>}).
 */
sealed interface Node {
  int pos();

  /** Go's String() with text nodes as they are (quoteText false) or quoted as Go's tests print them. */
  static String format(Node n, boolean quoteText) {
    StringBuilder sb = new StringBuilder();
    write(sb, n, quoteText);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Node n, boolean q) {
    switch (n) {
      case ListNode l -> l.nodes().forEach(c -> write(sb, c, q));
      case TextNode t -> sb.append(q ? GoFmt.quote(t.text()) : t.text());
      case ActionNode a -> {
        sb.append("{{");
        write(sb, a.pipe(), q);
        sb.append("}}");
      }
      case IfNode b -> branch(sb, "if", b.pipe(), b.list(), b.elseList(), q);
      case RangeNode b -> branch(sb, "range", b.pipe(), b.list(), b.elseList(), q);
      case WithNode b -> branch(sb, "with", b.pipe(), b.list(), b.elseList(), q);
      case BreakNode b -> sb.append("{{break}}");
      case ContinueNode c -> sb.append("{{continue}}");
      case TemplateNode t -> {
        sb.append("{{template ").append(GoFmt.quote(t.name()));
        if (t.pipe() != null) {
          sb.append(' ');
          write(sb, t.pipe(), q);
        }
        sb.append("}}");
      }
      case PipeNode p -> {
        if (!p.decl().isEmpty()) {
          for (int i = 0; i < p.decl().size(); i++) {
            if (i > 0) sb.append(", ");
            write(sb, p.decl().get(i), q);
          }
          sb.append(p.isAssign() ? " = " : " := ");
        }
        for (int i = 0; i < p.cmds().size(); i++) {
          if (i > 0) sb.append(" | ");
          write(sb, p.cmds().get(i), q);
        }
      }
      case CommandNode c -> {
        for (int i = 0; i < c.args().size(); i++) {
          if (i > 0) sb.append(' ');
          Node arg = c.args().get(i);
          if (arg instanceof PipeNode) {
            sb.append('(');
            write(sb, arg, q);
            sb.append(')');
          } else {
            write(sb, arg, q);
          }
        }
      }
      case FieldNode f -> f.ident().forEach(id -> sb.append('.').append(id));
      case VariableNode v -> sb.append(String.join(".", v.ident()));
      case ChainNode c -> {
        if (c.node() instanceof PipeNode) {
          sb.append('(');
          write(sb, c.node(), q);
          sb.append(')');
        } else {
          write(sb, c.node(), q);
        }
        c.field().forEach(f -> sb.append('.').append(f));
      }
      case IdentifierNode i -> sb.append(i.ident());
      case DotNode d -> sb.append('.');
      case NilNode nil -> sb.append("nil");
      case BoolNode b -> sb.append(b.value());
      case NumberNode num -> sb.append(num.text());
      case StringNode s -> sb.append(s.quoted());
      case EndNode e -> sb.append("{{end}}");
      case ElseNode e -> sb.append("{{else}}");
    }
  }

  private static void branch(StringBuilder sb, String name, PipeNode pipe, ListNode list, ListNode elseList, boolean q) {
    sb.append("{{").append(name).append(' ');
    write(sb, pipe, q);
    sb.append("}}");
    write(sb, list, q);
    if (elseList != null) {
      sb.append("{{else}}");
      write(sb, elseList, q);
    }
    sb.append("{{end}}");
  }

  record ListNode(int pos, List<Node> nodes) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record TextNode(int pos, String text) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record ActionNode(int pos, int line, PipeNode pipe) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record IfNode(int pos, int line, PipeNode pipe, ListNode list, ListNode elseList) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record RangeNode(int pos, int line, PipeNode pipe, ListNode list, ListNode elseList) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record WithNode(int pos, int line, PipeNode pipe, ListNode list, ListNode elseList) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record BreakNode(int pos, int line) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record ContinueNode(int pos, int line) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  /** {@code {{template "name" pipeline}}}, and what {@code {{block}}} leaves in place; pipe may be null. */
  record TemplateNode(int pos, int line, String name, PipeNode pipe) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  /** Declarations ({@code $x :=} or {@code $x =}) and commands joined by {@code |}. */
  record PipeNode(int pos, int line, boolean isAssign, List<VariableNode> decl, List<CommandNode> cmds) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record CommandNode(int pos, List<Node> args) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record FieldNode(int pos, List<String> ident) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  /** {@code $}, {@code $x}, {@code $x.Field.Other}. */
  record VariableNode(int pos, List<String> ident) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  /** A term followed by fields: {@code (pipeline).Field}, {@code func.Field}. */
  record ChainNode(int pos, Node node, List<String> field) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record IdentifierNode(int pos, String ident) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record DotNode(int pos) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record NilNode(int pos) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record BoolNode(int pos, boolean value) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  /**
   * A number constant with every interpretation Go's parser allows: a constant such as {@code 1e3}
   * is at once an int and a float; {@code uint} holds an unsigned value as its 64 bits.
   */
  record NumberNode(int pos, String text, boolean isInt, boolean isUint, boolean isFloat, boolean isComplex,
                    long int64, long uint64, double float64, Complex complex) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record StringNode(int pos, String quoted, String text) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record EndNode(int pos) implements Node {
    @Override public String toString() { return format(this, false); }
  }

  record ElseNode(int pos, int line) implements Node {
    @Override public String toString() { return format(this, false); }
  }
}
