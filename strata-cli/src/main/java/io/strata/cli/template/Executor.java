package io.strata.cli.template;

import io.strata.cli.template.Func.Type;
import io.strata.cli.template.Node.ActionNode;
import io.strata.cli.template.Node.BoolNode;
import io.strata.cli.template.Node.BreakNode;
import io.strata.cli.template.Node.ChainNode;
import io.strata.cli.template.Node.CommandNode;
import io.strata.cli.template.Node.ContinueNode;
import io.strata.cli.template.Node.DotNode;
import io.strata.cli.template.Node.FieldNode;
import io.strata.cli.template.Node.IdentifierNode;
import io.strata.cli.template.Node.IfNode;
import io.strata.cli.template.Node.ListNode;
import io.strata.cli.template.Node.NilNode;
import io.strata.cli.template.Node.NumberNode;
import io.strata.cli.template.Node.PipeNode;
import io.strata.cli.template.Node.RangeNode;
import io.strata.cli.template.Node.StringNode;
import io.strata.cli.template.Node.TemplateNode;
import io.strata.cli.template.Node.TextNode;
import io.strata.cli.template.Node.VariableNode;
import io.strata.cli.template.Node.WithNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Go's {@code text/template} execution over template values: walks the tree writing text and
 * printed values, evaluates pipelines (fields, methods, functions, variables, constants), checks
 * and converts arguments against functions' parameter types, and fails with Go's messages
 * ({@code template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE}).
 */
final class Executor {
  /** Go's {@code missingVal}: no value is piped into the command. */
  private static final Object NO_FINAL = new Object();
  /** Go allows 100000 nested template calls (1000 on WebAssembly); Java's stack takes the smaller. */
  static final int MAX_EXEC_DEPTH = 1000;

  private static final class Break extends RuntimeException {
    Break() {
      super(null, null, false, false);
    }
  }

  private static final class Continue extends RuntimeException {
    Continue() {
      super(null, null, false, false);
    }
  }

  private static final Break BREAK = new Break();
  private static final Continue CONTINUE = new Continue();

  private static final class Variable {
    final String name;
    Object value;

    Variable(String name, Object value) {
      this.name = name;
      this.value = value;
    }
  }

  private final Map<String, Tree> trees;
  private final Map<String, Func> funcs;
  private final String name;
  private final Tree tree;
  private final StringBuilder out;
  private final int depth;
  private final List<Variable> vars = new ArrayList<>();
  private Node node;

  private Executor(Map<String, Tree> trees, Map<String, Func> funcs, String name, Tree tree, StringBuilder out,
                   int depth) {
    this.trees = trees;
    this.funcs = funcs;
    this.name = name;
    this.tree = tree;
    this.out = out;
    this.depth = depth;
  }

  static void execute(Map<String, Tree> trees, Map<String, Func> funcs, String name, Object data, StringBuilder out) {
    Tree tree = trees.get(name);
    Executor s = new Executor(trees, funcs, name, tree, out, 0);
    s.vars.add(new Variable("$", data));
    if (tree == null || tree.root() == null) throw s.errorf(GoFmt.quote(name) + " is an incomplete or empty template");
    s.walk(data, tree.root());
  }

  private TemplateException errorf(String message) {
    if (node == null || tree == null) throw new TemplateException("template: " + name + ": " + message);
    String[] context = tree.errorContext(node);
    throw new TemplateException("template: " + context[0] + ": executing " + GoFmt.quote(name) + " at <" + context[1]
        + ">: " + message);
  }

  private void at(Node n) {
    node = n;
  }

  // Variables.

  private void push(String varName, Object value) {
    vars.add(new Variable(varName, value));
  }

  private void pop(int mark) {
    vars.subList(mark, vars.size()).clear();
  }

  private void setVar(String varName, Object value) {
    for (int i = vars.size() - 1; i >= 0; i--) {
      if (vars.get(i).name.equals(varName)) {
        vars.get(i).value = value;
        return;
      }
    }
    throw errorf("undefined variable: " + varName);
  }

  private void setTopVar(int n, Object value) {
    vars.get(vars.size() - n).value = value;
  }

  private Object varValue(String varName) {
    for (int i = vars.size() - 1; i >= 0; i--) {
      if (vars.get(i).name.equals(varName)) return vars.get(i).value;
    }
    throw errorf("undefined variable: " + varName);
  }

  // Walking.

  private void walk(Object dot, Node n) {
    at(n);
    switch (n) {
      case ActionNode a -> {
        Object val = evalPipeline(dot, a.pipe());
        if (a.pipe().decl().isEmpty()) printValue(a, val);
      }
      case BreakNode b -> throw BREAK;
      case ContinueNode c -> throw CONTINUE;
      case IfNode i -> walkIfOrWith(false, dot, i.pipe(), i.list(), i.elseList());
      case ListNode l -> {
        for (Node c : l.nodes()) walk(dot, c);
      }
      case RangeNode r -> walkRange(dot, r);
      case TemplateNode t -> walkTemplate(dot, t);
      case TextNode t -> out.append(t.text());
      case WithNode w -> walkIfOrWith(true, dot, w.pipe(), w.list(), w.elseList());
      default -> throw errorf("unknown node: " + n);
    }
  }

  private void walkIfOrWith(boolean with, Object dot, PipeNode pipe, ListNode list, ListNode elseList) {
    int mark = vars.size();
    try {
      Object val = evalPipeline(dot, pipe);
      if (Values.isTrue(val)) walk(with ? val : dot, list);
      else if (elseList != null) walk(dot, elseList);
    } finally {
      pop(mark);
    }
  }

  private void walkRange(Object dot, RangeNode r) {
    at(r);
    int outerMark = vars.size();
    try {
      Object val = evalPipeline(dot, r.pipe());
      int mark = vars.size();
      switch (val) {
        case GoList l -> {
          if (l.size() > 0) {
            for (int i = 0; i < l.size(); i++) oneIteration(r, mark, (long) i, l.get(i));
            return;
          }
        }
        case GoMap m -> {
          if (m.size() > 0) {
            for (String key : m.sortedKeys()) oneIteration(r, mark, m.keyValue(key), m.get(key));
            return;
          }
        }
        case Long n -> {
          if (r.pipe().decl().size() > 1) {
            throw errorf("can't use " + GoFmt.sprint(List.of(val)) + " to iterate over more than one variable");
          }
          if (n > 0) {
            for (long v = 0; v < n; v++) oneIteration(r, mark, Nothing.NO_VALUE, v);
            return;
          }
        }
        case Nothing nothing -> { }
        default -> throw errorf("range can't iterate over " + GoFmt.sprint(List.of(val)));
      }
      if (r.elseList() != null) walk(dot, r.elseList());
    } catch (Break b) {
      // {{break}} ends the loop
    } finally {
      pop(outerMark);
    }
  }

  private void oneIteration(RangeNode r, int mark, Object index, Object elem) {
    List<VariableNode> decl = r.pipe().decl();
    if (!decl.isEmpty()) {
      if (r.pipe().isAssign()) setVar(decl.getFirst().ident().getFirst(), decl.size() > 1 ? index : elem);
      else setTopVar(1, elem);
    }
    if (decl.size() > 1) {
      if (r.pipe().isAssign()) setVar(decl.get(1).ident().getFirst(), elem);
      else setTopVar(2, index);
    }
    try {
      walk(elem, r.list());
    } catch (Continue c) {
      // {{continue}} ends the iteration
    } finally {
      pop(mark);
    }
  }

  private void walkTemplate(Object dot, TemplateNode t) {
    at(t);
    Tree target = trees.get(t.name());
    if (target == null || target.root() == null) throw errorf("template " + GoFmt.quote(t.name()) + " not defined");
    if (depth == MAX_EXEC_DEPTH) throw errorf("exceeded maximum template depth (" + MAX_EXEC_DEPTH + ")");
    Object newDot = evalPipeline(dot, t.pipe());
    Executor child = new Executor(trees, funcs, t.name(), target, out, depth + 1);
    child.node = node;
    child.push("$", newDot);
    child.walk(newDot, target.root());
  }

  // Evaluation.

  private Object evalPipeline(Object dot, PipeNode pipe) {
    if (pipe == null) return Nothing.NO_VALUE;
    at(pipe);
    Object value = NO_FINAL;
    for (CommandNode cmd : pipe.cmds()) value = evalCommand(dot, cmd, value);
    for (VariableNode v : pipe.decl()) {
      if (pipe.isAssign()) setVar(v.ident().getFirst(), value);
      else push(v.ident().getFirst(), value);
    }
    return value;
  }

  private void notAFunction(List<Node> args, Object last) {
    if ((args != null && args.size() > 1) || last != NO_FINAL) {
      throw errorf("can't give argument to non-function " + (args == null ? node : args.getFirst()));
    }
  }

  private Object evalCommand(Object dot, CommandNode cmd, Object last) {
    Node first = cmd.args().getFirst();
    switch (first) {
      case FieldNode f -> {
        return evalFieldNode(dot, f, cmd.args(), last);
      }
      case ChainNode c -> {
        return evalChainNode(dot, c, cmd.args(), last);
      }
      case IdentifierNode i -> {
        return evalFunction(dot, i, cmd, cmd.args(), last);
      }
      case PipeNode p -> {
        notAFunction(cmd.args(), last);
        return evalPipeline(dot, p);
      }
      case VariableNode v -> {
        return evalVariableNode(dot, v, cmd.args(), last);
      }
      default -> { }
    }
    at(first);
    notAFunction(cmd.args(), last);
    return switch (first) {
      case BoolNode b -> b.value();
      case DotNode d -> dot;
      case NilNode n -> throw errorf("nil is not a command");
      case NumberNode n -> idealConstant(n);
      case StringNode s -> s.text();
      default -> throw errorf("can't evaluate command " + GoFmt.quote(first.toString()));
    };
  }

  private Object idealConstant(NumberNode c) {
    at(c);
    if (c.isComplex()) return c.complex();
    String text = c.text();
    boolean hexInt = text.length() > 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X')
        && text.indexOf('p') < 0 && text.indexOf('P') < 0;
    boolean runeInt = !text.isEmpty() && text.charAt(0) == '\'';
    if (c.isFloat() && !hexInt && !runeInt && text.chars().anyMatch(ch -> ".eEpP".indexOf(ch) >= 0)) return c.float64();
    if (c.isInt()) return c.int64();
    if (c.isUint()) throw errorf(text + " overflows int");
    return Nothing.NO_VALUE;
  }

  private Object evalFieldNode(Object dot, FieldNode field, List<Node> args, Object last) {
    at(field);
    return evalFieldChain(dot, dot, field, field.ident(), args, last);
  }

  private Object evalChainNode(Object dot, ChainNode chain, List<Node> args, Object last) {
    at(chain);
    if (chain.field().isEmpty()) throw errorf("internal error: no fields in evalChainNode");
    if (chain.node() instanceof NilNode) throw errorf("indirection through explicit nil in " + chain);
    Object pipe = evalArg(dot, null, chain.node());
    return evalFieldChain(dot, pipe, chain, chain.field(), args, last);
  }

  private Object evalVariableNode(Object dot, VariableNode variable, List<Node> args, Object last) {
    at(variable);
    Object value = varValue(variable.ident().getFirst());
    if (variable.ident().size() == 1) {
      notAFunction(args, last);
      return value;
    }
    return evalFieldChain(dot, value, variable, variable.ident().subList(1, variable.ident().size()), args, last);
  }

  private Object evalFieldChain(Object dot, Object receiver, Node n, List<String> ident, List<Node> args, Object last) {
    int count = ident.size();
    for (int i = 0; i < count - 1; i++) receiver = evalField(dot, ident.get(i), n, null, NO_FINAL, receiver);
    return evalField(dot, ident.get(count - 1), n, args, last, receiver);
  }

  private Object evalFunction(Object dot, IdentifierNode n, Node cmd, List<Node> args, Object last) {
    at(n);
    String fname = n.ident();
    Func f = funcs.get(fname);
    boolean builtin = false;
    if (f == null) {
      f = Builtins.get(fname);
      builtin = f != null;
    }
    if (f == null) throw errorf(GoFmt.quote(fname) + " is not a defined function");
    return evalCall(dot, f, builtin, cmd, fname, args, last);
  }

  private Object evalField(Object dot, String fieldName, Node n, List<Node> args, Object last, Object receiver) {
    if (receiver == Nothing.NO_VALUE) return Nothing.NO_VALUE;
    boolean hasArgs = (args != null && args.size() > 1) || last != NO_FINAL;
    switch (receiver) {
      case Nothing nil -> throw errorf("nil pointer evaluating interface {}." + fieldName);
      case Struct s -> {
        Object member = s.member(fieldName);
        if (member instanceof Func method) return evalCall(dot, method, false, n, fieldName, args, last);
        if (member != null) {
          if (hasArgs) throw errorf(fieldName + " has arguments but cannot be invoked as function");
          return Values.of(member);
        }
      }
      case GoMap m -> {
        Func method = m.method(fieldName);
        if (method != null) return evalCall(dot, method, false, n, fieldName, args, last);
        if (!m.intKeys()) {
          if (hasArgs) throw errorf(fieldName + " is not a method but has arguments");
          return m.get(fieldName);
        }
      }
      default -> { }
    }
    throw errorf("can't evaluate field " + fieldName + " in type " + Values.typeName(receiver));
  }

  private Object evalCall(Object dot, Func fun, boolean isBuiltin, Node n, String fname, List<Node> args, Object last) {
    List<Node> argNodes = args == null ? List.of() : args.subList(1, args.size());
    List<Type> params = fun.params();
    int numIn = argNodes.size() + (last != NO_FINAL ? 1 : 0);
    int numFixed = argNodes.size();
    if (fun.variadic()) {
      numFixed = params.size() - 1;
      if (numIn < numFixed) {
        throw errorf("wrong number of args for " + fname + ": want at least " + numFixed + " got " + argNodes.size());
      }
    } else if (numIn != params.size()) {
      throw errorf("wrong number of args for " + fname + ": want " + params.size() + " got " + numIn);
    }
    if (isBuiltin && (fname.equals("and") || fname.equals("or"))) {
      Type argType = params.getFirst();
      Object v = Nothing.NO_VALUE;
      for (Node arg : argNodes) {
        v = evalArg(dot, argType, arg);
        if (Values.isTrue(v) == fname.equals("or")) return v;
      }
      if (last != NO_FINAL) v = validateType(last, argType);
      return v;
    }
    List<Object> argv = new ArrayList<>(numIn + 1);
    int i = 0;
    for (; i < numFixed && i < argNodes.size(); i++) argv.add(evalArg(dot, params.get(i), argNodes.get(i)));
    if (fun.variadic()) {
      Type t = params.getLast();
      for (; i < argNodes.size(); i++) argv.add(evalArg(dot, t, argNodes.get(i)));
    }
    if (last != NO_FINAL) {
      Type t = params.getLast();
      if (fun.variadic() && numIn - 1 < numFixed) t = params.get(numIn - 1);
      argv.add(validateType(last, t));
    }
    Object result;
    try {
      if (isBuiltin && fname.equals("call")) {
        String callee = !argNodes.isEmpty() ? argNodes.getFirst().toString()
            : argv.getFirst() instanceof String s ? s : "<" + Values.typeName(argv.getFirst()) + " Value>";
        result = Builtins.call(callee, argv);
      } else {
        result = fun.body().call(java.util.Collections.unmodifiableList(argv));
      }
    } catch (TemplateException e) {
      throw e;
    } catch (RuntimeException e) {
      at(n);
      throw errorf("error calling " + fname + ": " + e.getMessage());
    }
    return result == null ? Nothing.NO_VALUE : Values.of(result);
  }

  private Object validateType(Object value, Type type) {
    if (type == null) return value;
    if (value instanceof Nothing) {
      if (type == Type.STRINGS) return new GoList(List.of());
      if (type.canBeNil()) return value;
      throw errorf("invalid value; expected " + type.goName());
    }
    boolean ok = switch (type) {
      case ANY, VALUE -> true;
      case STRING -> value instanceof String;
      case INT -> value instanceof Long;
      case FLOAT -> value instanceof Double;
      case BOOL -> value instanceof Boolean;
      case STRINGS -> value instanceof GoList l && l.allStrings();
    };
    if (!ok) throw errorf("wrong type for value; expected " + type.goName() + "; got " + Values.typeName(value));
    return value;
  }

  private Object evalArg(Object dot, Type type, Node n) {
    at(n);
    switch (n) {
      case DotNode d -> {
        return validateType(dot, type);
      }
      case NilNode nil -> {
        if (type == null || type.canBeNil()) return type == Type.STRINGS ? new GoList(List.of()) : Nothing.NO_VALUE;
        throw errorf("cannot assign nil to " + type.goName());
      }
      case FieldNode f -> {
        return validateType(evalFieldNode(dot, f, List.of(n), NO_FINAL), type);
      }
      case VariableNode v -> {
        return validateType(evalVariableNode(dot, v, null, NO_FINAL), type);
      }
      case PipeNode p -> {
        return validateType(evalPipeline(dot, p), type);
      }
      case IdentifierNode i -> {
        return validateType(evalFunction(dot, i, i, null, NO_FINAL), type);
      }
      case ChainNode c -> {
        return validateType(evalChainNode(dot, c, null, NO_FINAL), type);
      }
      default -> { }
    }
    Type t = type == null ? Type.ANY : type;
    return switch (t) {
      case BOOL -> {
        if (n instanceof BoolNode b) yield b.value();
        throw errorf("expected bool; found " + n);
      }
      case FLOAT -> {
        if (n instanceof NumberNode num && num.isFloat()) yield num.float64();
        throw errorf("expected float; found " + n);
      }
      case INT -> {
        if (n instanceof NumberNode num && num.isInt()) yield num.int64();
        throw errorf("expected integer; found " + n);
      }
      case STRING -> {
        if (n instanceof StringNode s) yield s.text();
        throw errorf("expected string; found " + n);
      }
      case ANY, VALUE -> evalEmptyInterface(dot, n);
      case STRINGS -> throw errorf("can't handle " + n + " for arg of type []string");
    };
  }

  private Object evalEmptyInterface(Object dot, Node n) {
    at(n);
    return switch (n) {
      case BoolNode b -> b.value();
      case DotNode d -> dot;
      case NumberNode num -> idealConstant(num);
      case StringNode s -> s.text();
      default -> throw errorf("can't handle assignment of " + n + " to empty interface argument");
    };
  }

  private void printValue(Node n, Object v) {
    at(n);
    if (v instanceof Func) throw errorf("can't print " + n + " of type " + Values.typeName(v));
    out.append(v == Nothing.NO_VALUE ? "<no value>" : GoFmt.sprint(List.of(v)));
  }
}
