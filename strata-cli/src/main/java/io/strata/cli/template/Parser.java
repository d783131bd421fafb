package io.strata.cli.template;

import io.strata.cli.template.Lexer.Item;
import io.strata.cli.template.Lexer.Type;
import io.strata.cli.template.Node.ActionNode;
import io.strata.cli.template.Node.BoolNode;
import io.strata.cli.template.Node.BreakNode;
import io.strata.cli.template.Node.ChainNode;
import io.strata.cli.template.Node.CommandNode;
import io.strata.cli.template.Node.ContinueNode;
import io.strata.cli.template.Node.DotNode;
import io.strata.cli.template.Node.ElseNode;
import io.strata.cli.template.Node.EndNode;
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
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Go's {@code text/template/parse} parser: a recursive descent over the lexer's items with Go's
 * three-token look-ahead, building {@link Node}s, checking functions and variables as it goes and
 * failing with Go's messages ({@code template: NAME:LINE: MESSAGE}). {@code {{define}}} and
 * {@code {{block}}} add further trees to the set.
 */
final class Parser {
  /** Go allows 10000 nested parentheses (1000 on WebAssembly); Java's stack takes the smaller. */
  static final int MAX_STACK_DEPTH = 1000;

  private final Lexer lex;
  private final Map<String, Tree> treeSet;
  private final Predicate<String> hasFunction;
  private final String parseName;
  private final String text;
  private String name;
  private ListNode root;
  private final Item[] token = new Item[3];
  private int peekCount;
  private final List<String> vars = new ArrayList<>(List.of("$"));
  private int actionLine;
  private int rangeDepth;
  private int stackDepth;

  private Parser(String name, String parseName, String text, Lexer lex, Map<String, Tree> treeSet,
                 Predicate<String> hasFunction) {
    this.name = name;
    this.parseName = parseName;
    this.text = text;
    this.lex = lex;
    this.treeSet = treeSet;
    this.hasFunction = hasFunction;
  }

  /** Parses {@code text} as the template {@code name}; returns every tree it defines, by name. */
  static Map<String, Tree> parse(String name, String text, Predicate<String> hasFunction) {
    Map<String, Tree> treeSet = new LinkedHashMap<>();
    Lexer lex = Lexer.of(text, !hasFunction.test("break"), !hasFunction.test("continue"));
    Parser p = new Parser(name, name, text, lex, treeSet, hasFunction);
    p.parse();
    p.add();
    return treeSet;
  }

  // Token handling, as Go's Tree.

  private Item next() {
    if (peekCount > 0) peekCount--;
    else token[0] = lex.nextItem();
    return token[peekCount];
  }

  private void backup() {
    peekCount++;
  }

  private void backup2(Item t1) {
    token[1] = t1;
    peekCount = 2;
  }

  private void backup3(Item t2, Item t1) {
    token[1] = t1;
    token[2] = t2;
    peekCount = 3;
  }

  private Item peek() {
    if (peekCount > 0) return token[peekCount - 1];
    peekCount = 1;
    token[0] = lex.nextItem();
    return token[0];
  }

  private Item nextNonSpace() {
    Item t;
    do {
      t = next();
    } while (t.type() == Type.SPACE);
    return t;
  }

  private Item peekNonSpace() {
    Item t = nextNonSpace();
    backup();
    return t;
  }

  private TemplateException errorf(String message) {
    int line = token[0] == null ? 1 : token[0].line();
    throw new TemplateException("template: " + parseName + ":" + line + ": " + message);
  }

  private Item expect(Type expected, String context) {
    Item t = nextNonSpace();
    if (t.type() != expected) unexpected(t, context);
    return t;
  }

  private Item expectOneOf(Type e1, Type e2, String context) {
    Item t = nextNonSpace();
    if (t.type() != e1 && t.type() != e2) unexpected(t, context);
    return t;
  }

  private void unexpected(Item t, String context) {
    if (t.type() == Type.ERROR) {
      String extra = "";
      if (actionLine != 0 && actionLine != t.line()) {
        extra = " in action started at " + parseName + ":" + actionLine;
        if (t.val().endsWith(" action")) extra = extra.substring(" in action".length());
      }
      throw errorf(t + extra);
    }
    throw errorf("unexpected " + t + " in " + context);
  }

  private void add() {
    Tree existing = treeSet.get(name);
    if (existing == null || Tree.isEmpty(existing.root())) {
      treeSet.put(name, new Tree(name, parseName, text, root));
      return;
    }
    if (!Tree.isEmpty(root)) errorf("template: multiple definition of template " + GoFmt.quote(name));
  }

  // Grammar.

  private void parse() {
    root = new ListNode(peek().pos(), new ArrayList<>());
    while (peek().type() != Type.EOF) {
      if (peek().type() == Type.LEFT_DELIM) {
        Item delim = next();
        if (nextNonSpace().type() == Type.DEFINE) {
          Parser def = new Parser("definition", parseName, text, lex, treeSet, hasFunction);
          def.parseDefinition();
          continue;
        }
        backup2(delim);
      }
      Node n = textOrAction();
      if (n instanceof EndNode || n instanceof ElseNode) errorf("unexpected " + n);
      root.nodes().add(n);
    }
  }

  private void parseDefinition() {
    String context = "define clause";
    Item nameToken = expectOneOf(Type.STRING, Type.RAW_STRING, context);
    name = unquote(nameToken.val());
    expect(Type.RIGHT_DELIM, context);
    Object[] listAndEnd = itemList();
    root = (ListNode) listAndEnd[0];
    Node end = (Node) listAndEnd[1];
    if (!(end instanceof EndNode)) errorf("unexpected " + end + " in " + context);
    add();
  }

  /** {list, the End or Else node that ended it}. */
  private Object[] itemList() {
    ListNode list = new ListNode(peekNonSpace().pos(), new ArrayList<>());
    while (peekNonSpace().type() != Type.EOF) {
      Node n = textOrAction();
      if (n instanceof EndNode || n instanceof ElseNode) return new Object[] {list, n};
      list.nodes().add(n);
    }
    throw errorf("unexpected EOF");
  }

  private Node textOrAction() {
    Item t = nextNonSpace();
    switch (t.type()) {
      case TEXT -> {
        return new TextNode(t.pos(), t.val());
      }
      case LEFT_DELIM -> {
        actionLine = t.line();
        try {
          return action();
        } finally {
          actionLine = 0;
        }
      }
      default -> {
        unexpected(t, "input");
        return null;
      }
    }
  }

  private Node action() {
    Item t = nextNonSpace();
    switch (t.type()) {
      case BLOCK -> {
        return blockControl();
      }
      case BREAK -> {
        return breakControl(t.pos(), t.line());
      }
      case CONTINUE -> {
        return continueControl(t.pos(), t.line());
      }
      case ELSE -> {
        return elseControl();
      }
      case END -> {
        return new EndNode(expect(Type.RIGHT_DELIM, "end").pos());
      }
      case IF -> {
        return ifControl();
      }
      case RANGE -> {
        return rangeControl();
      }
      case TEMPLATE -> {
        return templateControl();
      }
      case WITH -> {
        return withControl();
      }
      default -> { }
    }
    backup();
    Item first = peek();
    return new ActionNode(first.pos(), first.line(), pipeline("command", Type.RIGHT_DELIM));
  }

  private Node breakControl(int pos, int line) {
    Item t = nextNonSpace();
    if (t.type() != Type.RIGHT_DELIM) unexpected(t, "{{break}}");
    if (rangeDepth == 0) errorf("{{break}} outside {{range}}");
    return new BreakNode(pos, line);
  }

  private Node continueControl(int pos, int line) {
    Item t = nextNonSpace();
    if (t.type() != Type.RIGHT_DELIM) unexpected(t, "{{continue}}");
    if (rangeDepth == 0) errorf("{{continue}} outside {{range}}");
    return new ContinueNode(pos, line);
  }

  private PipeNode pipeline(String context, Type end) {
    Item first = peekNonSpace();
    boolean isAssign = false;
    List<VariableNode> decl = new ArrayList<>();
    List<CommandNode> cmds = new ArrayList<>();
    decls:
    while (true) {
      Item v = peekNonSpace();
      if (v.type() == Type.VARIABLE) {
        next();
        Item tokenAfterVariable = peek();
        Item nextItem = peekNonSpace();
        if (nextItem.type() == Type.ASSIGN || nextItem.type() == Type.DECLARE) {
          isAssign = nextItem.type() == Type.ASSIGN;
          nextNonSpace();
          decl.add(newVariable(v.pos(), v.val()));
          vars.add(v.val());
        } else if (nextItem.type() == Type.CHAR && nextItem.val().equals(",")) {
          nextNonSpace();
          decl.add(newVariable(v.pos(), v.val()));
          vars.add(v.val());
          if (context.equals("range") && decl.size() < 2) {
            switch (peekNonSpace().type()) {
              case VARIABLE, RIGHT_DELIM, RIGHT_PAREN -> {
                continue decls;
              }
              default -> errorf("range can only initialize variables");
            }
          }
          errorf("too many declarations in " + context);
        } else if (tokenAfterVariable.type() == Type.SPACE) {
          backup3(v, tokenAfterVariable);
        } else {
          backup2(v);
        }
      }
      break;
    }
    while (true) {
      Item t = nextNonSpace();
      if (t.type() == end) {
        PipeNode pipe = new PipeNode(first.pos(), first.line(), isAssign, List.copyOf(decl), List.copyOf(cmds));
        checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type()) {
        case BOOL, CHAR_CONSTANT, COMPLEX, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING, VARIABLE,
             LEFT_PAREN -> {
          backup();
          cmds.add(command());
        }
        default -> unexpected(t, context);
      }
    }
  }

  private void checkPipeline(PipeNode pipe, String context) {
    if (pipe.cmds().isEmpty()) errorf("missing value for " + context);
    for (int i = 1; i < pipe.cmds().size(); i++) {
      switch (pipe.cmds().get(i).args().getFirst()) {
        case BoolNode b -> errorf("non executable command in pipeline stage " + (i + 1));
        case DotNode d -> errorf("non executable command in pipeline stage " + (i + 1));
        case NilNode n -> errorf("non executable command in pipeline stage " + (i + 1));
        case NumberNode n -> errorf("non executable command in pipeline stage " + (i + 1));
        case StringNode s -> errorf("non executable command in pipeline stage " + (i + 1));
        default -> { }
      }
    }
  }

  private record Control(int pos, int line, PipeNode pipe, ListNode list, ListNode elseList) {}

  private Control parseControl(String context) {
    int mark = vars.size();
    try {
      PipeNode pipe = pipeline(context, Type.RIGHT_DELIM);
      if (context.equals("range")) rangeDepth++;
      Object[] listAndNext = itemList();
      if (context.equals("range")) rangeDepth--;
      ListNode list = (ListNode) listAndNext[0];
      Node next = (Node) listAndNext[1];
      ListNode elseList = null;
      if (next instanceof ElseNode) {
        if (context.equals("if") && peek().type() == Type.IF) {
          next();
          elseList = new ListNode(next.pos(), new ArrayList<>());
          elseList.nodes().add(ifControl());
        } else if (context.equals("with") && peek().type() == Type.WITH) {
          next();
          elseList = new ListNode(next.pos(), new ArrayList<>());
          elseList.nodes().add(withControl());
        } else {
          Object[] elseAndEnd = itemList();
          elseList = (ListNode) elseAndEnd[0];
          if (!(elseAndEnd[1] instanceof EndNode)) errorf("expected end; found " + elseAndEnd[1]);
        }
      }
      return new Control(pipe.pos(), pipe.line(), pipe, list, elseList);
    } finally {
      vars.subList(mark, vars.size()).clear();
    }
  }

  private Node ifControl() {
    Control c = parseControl("if");
    return new IfNode(c.pos(), c.line(), c.pipe(), c.list(), c.elseList());
  }

  private Node rangeControl() {
    Control c = parseControl("range");
    return new RangeNode(c.pos(), c.line(), c.pipe(), c.list(), c.elseList());
  }

  private Node withControl() {
    Control c = parseControl("with");
    return new WithNode(c.pos(), c.line(), c.pipe(), c.list(), c.elseList());
  }

  private Node elseControl() {
    Item peek = peekNonSpace();
    if (peek.type() == Type.IF || peek.type() == Type.WITH) return new ElseNode(peek.pos(), peek.line());
    Item t = expect(Type.RIGHT_DELIM, "else");
    return new ElseNode(t.pos(), t.line());
  }

  private Node blockControl() {
    String context = "block clause";
    Item t = nextNonSpace();
    String blockName = parseTemplateName(t, context);
    PipeNode pipe = pipeline(context, Type.RIGHT_DELIM);
    Parser block = new Parser(blockName, parseName, text, lex, treeSet, hasFunction);
    Object[] listAndEnd = block.itemList();
    block.root = (ListNode) listAndEnd[0];
    if (!(listAndEnd[1] instanceof EndNode)) errorf("unexpected " + listAndEnd[1] + " in " + context);
    block.add();
    return new TemplateNode(t.pos(), t.line(), blockName, pipe);
  }

  private Node templateControl() {
    String context = "template clause";
    Item t = nextNonSpace();
    String templateName = parseTemplateName(t, context);
    PipeNode pipe = null;
    if (nextNonSpace().type() != Type.RIGHT_DELIM) {
      backup();
      pipe = pipeline(context, Type.RIGHT_DELIM);
    }
    return new TemplateNode(t.pos(), t.line(), templateName, pipe);
  }

  private String parseTemplateName(Item t, String context) {
    if (t.type() == Type.STRING || t.type() == Type.RAW_STRING) return unquote(t.val());
    unexpected(t, context);
    return null;
  }

  private CommandNode command() {
    int pos = peekNonSpace().pos();
    List<Node> args = new ArrayList<>();
    loop:
    while (true) {
      peekNonSpace();
      Node operand = operand();
      if (operand != null) args.add(operand);
      Item t = next();
      switch (t.type()) {
        case SPACE -> {
          continue;
        }
        case RIGHT_DELIM, RIGHT_PAREN -> backup();
        case PIPE -> { }
        default -> unexpected(t, "operand");
      }
      break loop;
    }
    if (args.isEmpty()) errorf("empty command");
    return new CommandNode(pos, List.copyOf(args));
  }

  private Node operand() {
    Node node = term();
    if (node == null) return null;
    if (peek().type() == Type.FIELD) {
      int chainPos = peek().pos();
      List<String> fields = new ArrayList<>();
      while (peek().type() == Type.FIELD) fields.add(next().val().substring(1));
      ChainNode chain = new ChainNode(chainPos, node, List.copyOf(fields));
      switch (node) {
        case FieldNode f -> {
          return newField(chainPos, chain.toString());
        }
        case VariableNode v -> {
          return newVariable(chainPos, chain.toString());
        }
        case BoolNode b -> errorf("unexpected . after term " + GoFmt.quote(node.toString()));
        case StringNode s -> errorf("unexpected . after term " + GoFmt.quote(node.toString()));
        case NumberNode n -> errorf("unexpected . after term " + GoFmt.quote(node.toString()));
        case NilNode n -> errorf("unexpected . after term " + GoFmt.quote(node.toString()));
        case DotNode d -> errorf("unexpected . after term " + GoFmt.quote(node.toString()));
        default -> {
          return chain;
        }
      }
    }
    return node;
  }

  private Node term() {
    Item t = nextNonSpace();
    switch (t.type()) {
      case IDENTIFIER -> {
        if (!hasFunction.test(t.val())) errorf("function " + GoFmt.quote(t.val()) + " not defined");
        return new IdentifierNode(t.pos(), t.val());
      }
      case DOT -> {
        return new DotNode(t.pos());
      }
      case NIL -> {
        return new NilNode(t.pos());
      }
      case VARIABLE -> {
        return useVar(t.pos(), t.val());
      }
      case FIELD -> {
        return newField(t.pos(), t.val());
      }
      case BOOL -> {
        return new BoolNode(t.pos(), t.val().equals("true"));
      }
      case CHAR_CONSTANT, COMPLEX, NUMBER -> {
        return newNumber(t.pos(), t.val(), t.type());
      }
      case LEFT_PAREN -> {
        if (stackDepth >= MAX_STACK_DEPTH) errorf("max expression depth exceeded");
        stackDepth++;
        try {
          return pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
        } finally {
          stackDepth--;
        }
      }
      case STRING, RAW_STRING -> {
        return new StringNode(t.pos(), t.val(), unquote(t.val()));
      }
      default -> {
        backup();
        return null;
      }
    }
  }

  private Node useVar(int pos, String varName) {
    VariableNode v = newVariable(pos, varName);
    if (vars.contains(v.ident().getFirst())) return v;
    throw errorf("undefined variable " + GoFmt.quote(v.ident().getFirst()));
  }

  private static FieldNode newField(int pos, String ident) {
    return new FieldNode(pos, List.of(ident.substring(1).split("\\.", -1)));
  }

  private static VariableNode newVariable(int pos, String ident) {
    return new VariableNode(pos, List.of(ident.split("\\.", -1)));
  }

  // Literals.

  private String unquote(String quoted) {
    String s = Literals.unquote(quoted);
    if (s == null) errorf("invalid syntax");
    return s;
  }

  private NumberNode newNumber(int pos, String text, Type type) {
    if (type == Type.CHAR_CONSTANT) {
      int[] rune = Literals.unquoteChar(text, 1, '\'');
      if (rune == null) throw errorf("invalid syntax");
      if (rune[1] != text.length() - 1 || text.charAt(text.length() - 1) != '\'') {
        throw errorf("malformed character constant: " + text);
      }
      long r = rune[0];
      return new NumberNode(pos, text, true, true, true, false, r, r, r, null);
    }
    if (type == Type.COMPLEX) {
      Complex c = Literals.parseComplex(text);
      if (c == null) throw errorf("expected complex number: " + text);
      return simplifyComplex(pos, text, c);
    }
    if (!text.isEmpty() && text.charAt(text.length() - 1) == 'i') {
      Double f = GoNumbers.parseFloat(text.substring(0, text.length() - 1));
      if (f != null) return simplifyComplex(pos, text, new Complex(0, f));
    }
    boolean isInt = false;
    boolean isUint = false;
    boolean isFloat = false;
    long int64 = 0;
    long uint64 = 0;
    double float64 = 0;
    BigInteger u = GoNumbers.parseUint(text);
    if (u != null) {
      isUint = true;
      uint64 = u.longValue();
    }
    Long i = GoNumbers.parseInt(text);
    if (i != null) {
      isInt = true;
      int64 = i;
      if (i == 0) {
        isUint = true;
        uint64 = 0;
      }
    }
    if (isInt) {
      isFloat = true;
      float64 = int64;
    } else if (isUint) {
      isFloat = true;
      float64 = u.doubleValue();
    } else {
      Double f = GoNumbers.parseFloat(text);
      if (f != null) {
        if (!containsAny(text, ".eEpP")) throw errorf("integer overflow: " + text);
        isFloat = true;
        float64 = f;
        if (isInt64(f)) {
          isInt = true;
          int64 = (long) (double) f;
        }
        if (isUint64(f)) {
          isUint = true;
          uint64 = new java.math.BigDecimal(f).toBigInteger().longValue();
        }
      }
    }
    if (!isInt && !isUint && !isFloat) throw errorf("illegal number syntax: " + GoFmt.quote(text));
    return new NumberNode(pos, text, isInt, isUint, isFloat, false, int64, uint64, float64, null);
  }

  private static NumberNode simplifyComplex(int pos, String text, Complex c) {
    boolean isFloat = c.im() == 0;
    boolean isInt = isFloat && isInt64(c.re());
    boolean isUint = isFloat && isUint64(c.re());
    long int64 = isInt ? (long) c.re() : 0;
    long uint64 = isUint ? new java.math.BigDecimal(c.re()).toBigInteger().longValue() : 0;
    return new NumberNode(pos, text, isInt, isUint, isFloat, true, int64, uint64, isFloat ? c.re() : 0, c);
  }

  private static boolean isInt64(double f) {
    return f == Math.rint(f) && f >= -0x1p63 && f < 0x1p63;
  }

  private static boolean isUint64(double f) {
    return f == Math.rint(f) && f >= 0 && f < 0x1p64;
  }

  private static boolean containsAny(String s, String chars) {
    return s.chars().anyMatch(c -> chars.indexOf(c) >= 0);
  }
}
