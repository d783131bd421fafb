package io.strata.cli.template;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code text/template/parse} lexer: splits a template into text and the items of its actions,
 * with the trim markers {@code {{- } and {@code -}}}, comments, and Go's literals. Items carry their
 * position (a char index) and line; a lexical error is an {@link Type#ERROR} item that ends the
 * stream, which the parser reports when it reaches it.
 */
final class Lexer {
  enum Type {
    ERROR, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER, LEFT_DELIM,
    LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE,
    KEYWORD, BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH;

    boolean isKeyword() {
      return ordinal() > KEYWORD.ordinal();
    }
  }

  record Item(Type type, int pos, String val, int line) {
    /** As Go prints an item in messages: EOF, the error, {@code <if>} for keywords, else quoted. */
    @Override
    public String toString() {
      if (type == Type.EOF) return "EOF";
      if (type == Type.ERROR) return val;
      if (type.isKeyword()) return "<" + val + ">";
      if (val.codePointCount(0, val.length()) > 10) return GoFmt.quote(val.substring(0, val.offsetByCodePoints(0, 10))) + "...";
      return GoFmt.quote(val);
    }
  }

  private enum State { TEXT, LEFT_DELIM, COMMENT, RIGHT_DELIM, INSIDE_ACTION, SPACE, IDENTIFIER, FIELD, VARIABLE, CHAR, NUMBER, QUOTE, RAW_QUOTE }

  private static final int EOF = -1;
  private static final String LEFT = "{{";
  private static final String RIGHT = "}}";
  private static final String SPACE_CHARS = " \t\r\n";

  private final String input;
  private final boolean breakOk;
  private final boolean continueOk;
  private int pos;
  private int start;
  private int width;
  private int parenDepth;
  private int line = 1;
  private int startLine = 1;
  private State state = State.TEXT;
  private final List<Item> items = new ArrayList<>();
  private int next;

  private Lexer(String input, boolean breakOk, boolean continueOk) {
    this.input = input;
    this.breakOk = breakOk;
    this.continueOk = continueOk;
  }

  /**
   * A lexer over {@code input}; {@code break} and {@code continue} are keywords unless a function
   * of that name is defined.
   */
  static Lexer of(String input, boolean breakOk, boolean continueOk) {
    return new Lexer(input, breakOk, continueOk);
  }

  /** The next item; after the stream ends (EOF or an error), EOF forever. */
  Item nextItem() {
    while (next >= items.size()) {
      if (state == null) {
        items.add(new Item(Type.EOF, pos, "", startLine));
        break;
      }
      Item item = step();
      if (item != null) items.add(item);
    }
    return items.get(next++);
  }

  /** Runs one state; returns the item it produced, if any. */
  private Item step() {
    return switch (state) {
      case TEXT -> lexText();
      case LEFT_DELIM -> lexLeftDelim();
      case COMMENT -> lexComment();
      case RIGHT_DELIM -> lexRightDelim();
      case INSIDE_ACTION -> lexInsideAction();
      case SPACE -> lexSpace();
      case IDENTIFIER -> lexIdentifier();
      case FIELD -> lexFieldOrVariable(Type.FIELD);
      case VARIABLE -> lexVariable();
      case CHAR -> lexChar();
      case NUMBER -> lexNumber();
      case QUOTE -> lexQuote();
      case RAW_QUOTE -> lexRawQuote();
    };
  }

  private int nextRune() {
    if (pos >= input.length()) {
      width = 0;
      return EOF;
    }
    int r = input.codePointAt(pos);
    width = Character.charCount(r);
    pos += width;
    if (r == '\n') line++;
    return r;
  }

  private int peek() {
    int r = nextRune();
    backup();
    return r;
  }

  private void backup() {
    pos -= width;
    if (width == 1 && input.charAt(pos) == '\n') line--;
  }

  private Item emit(Type t) {
    Item item = new Item(t, start, input.substring(start, pos), startLine);
    start = pos;
    startLine = line;
    return item;
  }

  private void ignore() {
    line += count(start, pos);
    start = pos;
    startLine = line;
  }

  private int count(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) if (input.charAt(i) == '\n') n++;
    return n;
  }

  private boolean accept(String valid) {
    int r = nextRune();
    if (r != EOF && valid.indexOf(r) >= 0) return true;
    backup();
    return false;
  }

  private void acceptRun(String valid) {
    int r;
    do {
      r = nextRune();
    } while (r != EOF && valid.indexOf(r) >= 0);
    backup();
  }

  private Item errorf(String message) {
    state = null;
    return new Item(Type.ERROR, start, message, startLine);
  }

  private Item lexText() {
    width = 0;
    int x = input.indexOf(LEFT, pos);
    if (x >= 0) {
      pos = x;
      int trimLength = 0;
      if (hasLeftTrimMarker(pos + LEFT.length())) trimLength = rightTrimLength(input.substring(start, pos));
      pos -= trimLength;
      Item item = null;
      if (pos > start) {
        line += count(start, pos);
        item = emit(Type.TEXT);
      }
      pos += trimLength;
      ignore();
      state = State.LEFT_DELIM;
      return item;
    }
    pos = input.length();
    if (pos > start) {
      line += count(start, pos);
      Item item = emit(Type.TEXT);
      state = null;
      return item;
    }
    Item item = emit(Type.EOF);
    state = null;
    return item;
  }

  private static int rightTrimLength(String s) {
    int end = s.length();
    while (end > 0 && SPACE_CHARS.indexOf(s.charAt(end - 1)) >= 0) end--;
    return s.length() - end;
  }

  private int leftTrimLength(int from) {
    int i = from;
    while (i < input.length() && SPACE_CHARS.indexOf(input.charAt(i)) >= 0) i++;
    return i - from;
  }

  private boolean hasLeftTrimMarker(int at) {
    return at + 1 < input.length() && input.charAt(at) == '-' && isSpace(input.charAt(at + 1));
  }

  private boolean hasRightTrimMarker(int at) {
    return at + 1 < input.length() && isSpace(input.charAt(at)) && input.charAt(at + 1) == '-';
  }

  /** {delim, trimSpaces}. */
  private boolean[] atRightDelim() {
    if (hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2)) return new boolean[] {true, true};
    if (input.startsWith(RIGHT, pos)) return new boolean[] {true, false};
    return new boolean[] {false, false};
  }

  private Item lexLeftDelim() {
    pos += LEFT.length();
    boolean trimSpace = hasLeftTrimMarker(pos);
    int afterMarker = trimSpace ? 2 : 0;
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      state = State.COMMENT;
      return null;
    }
    Item item = emit(Type.LEFT_DELIM);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    state = State.INSIDE_ACTION;
    return item;
  }

  private Item lexComment() {
    pos += 2;
    int i = input.indexOf("*/", pos);
    if (i < 0) return errorf("unclosed comment");
    pos = i + 2;
    boolean[] d = atRightDelim();
    if (!d[0]) return errorf("comment ends before closing delimiter");
    if (d[1]) pos += 2;
    pos += RIGHT.length();
    if (d[1]) pos += leftTrimLength(pos);
    ignore();
    state = State.TEXT;
    return null;
  }

  private Item lexRightDelim() {
    boolean trimSpace = hasRightTrimMarker(pos);
    if (trimSpace) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length();
    Item item = emit(Type.RIGHT_DELIM);
    if (trimSpace) {
      pos += leftTrimLength(pos);
      ignore();
    }
    state = State.TEXT;
    return item;
  }

  private Item lexInsideAction() {
    if (atRightDelim()[0]) {
      if (parenDepth == 0) {
        state = State.RIGHT_DELIM;
        return null;
      }
      return errorf("unclosed left paren");
    }
    int r = nextRune();
    Item item = null;
    if (r == EOF) {
      return errorf("unclosed action");
    } else if (isSpace(r)) {
      backup();
      state = State.SPACE;
      return null;
    } else if (r == '=') {
      item = emit(Type.ASSIGN);
    } else if (r == ':') {
      if (nextRune() != '=') return errorf("expected :=");
      item = emit(Type.DECLARE);
    } else if (r == '|') {
      item = emit(Type.PIPE);
    } else if (r == '"') {
      state = State.QUOTE;
      return null;
    } else if (r == '`') {
      state = State.RAW_QUOTE;
      return null;
    } else if (r == '$') {
      state = State.VARIABLE;
      return null;
    } else if (r == '\'') {
      state = State.CHAR;
      return null;
    } else if (r == '.' && pos < input.length() && (input.charAt(pos) < '0' || input.charAt(pos) > '9')) {
      state = State.FIELD;
      return null;
    } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      backup();
      state = State.NUMBER;
      return null;
    } else if (isAlphaNumeric(r)) {
      backup();
      state = State.IDENTIFIER;
      return null;
    } else if (r == '(') {
      item = emit(Type.LEFT_PAREN);
      parenDepth++;
    } else if (r == ')') {
      item = emit(Type.RIGHT_PAREN);
      parenDepth--;
      if (parenDepth < 0) return errorf("unexpected right paren " + GoFmt.sharpU(r));
    } else if (r <= 0x7f && GoFmt.isPrint(r)) {
      item = emit(Type.CHAR);
    } else {
      return errorf("unrecognized character in action: " + GoFmt.sharpU(r));
    }
    state = State.INSIDE_ACTION;
    return item;
  }

  private Item lexSpace() {
    int numSpaces = 0;
    while (isSpace(peek())) {
      nextRune();
      numSpaces++;
    }
    if (hasRightTrimMarker(pos - 1) && input.startsWith(RIGHT, pos - 1 + 2)) {
      backup();
      if (numSpaces == 1) {
        state = State.RIGHT_DELIM;
        return null;
      }
    }
    state = State.INSIDE_ACTION;
    return emit(Type.SPACE);
  }

  private Item lexIdentifier() {
    while (true) {
      int r = nextRune();
      if (isAlphaNumeric(r)) continue;
      backup();
      String word = input.substring(start, pos);
      if (!atTerminator()) return errorf("bad character " + GoFmt.sharpU(r));
      Type key = keyword(word);
      Item item;
      if (key != null) {
        item = (key == Type.BREAK && !breakOk) || (key == Type.CONTINUE && !continueOk)
            ? emit(Type.IDENTIFIER) : emit(key);
      } else if (word.equals("true") || word.equals("false")) {
        item = emit(Type.BOOL);
      } else {
        item = emit(Type.IDENTIFIER);
      }
      state = State.INSIDE_ACTION;
      return item;
    }
  }

  private static Type keyword(String word) {
    return switch (word) {
      case "block" -> Type.BLOCK;
      case "break" -> Type.BREAK;
      case "continue" -> Type.CONTINUE;
      case "define" -> Type.DEFINE;
      case "else" -> Type.ELSE;
      case "end" -> Type.END;
      case "if" -> Type.IF;
      case "range" -> Type.RANGE;
      case "nil" -> Type.NIL;
      case "template" -> Type.TEMPLATE;
      case "with" -> Type.WITH;
      default -> null;
    };
  }

  private Item lexVariable() {
    if (atTerminator()) {
      state = State.INSIDE_ACTION;
      return emit(Type.VARIABLE);
    }
    return lexFieldOrVariable(Type.VARIABLE);
  }

  private Item lexFieldOrVariable(Type type) {
    state = State.INSIDE_ACTION;
    if (atTerminator()) return emit(type == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
    int r;
    while (true) {
      r = nextRune();
      if (!isAlphaNumeric(r)) {
        backup();
        break;
      }
    }
    if (!atTerminator()) return errorf("bad character " + GoFmt.sharpU(r));
    return emit(type);
  }

  private boolean atTerminator() {
    int r = peek();
    if (isSpace(r)) return true;
    return switch (r) {
      case EOF, '.', ',', '|', ':', ')', '(' -> true;
      default -> r == RIGHT.codePointAt(0);
    };
  }

  private Item lexChar() {
    while (true) {
      int r = nextRune();
      if (r == '\\') {
        int e = nextRune();
        if (e != EOF && e != '\n') continue;
        return errorf("unterminated character constant");
      }
      if (r == EOF || r == '\n') return errorf("unterminated character constant");
      if (r == '\'') break;
    }
    state = State.INSIDE_ACTION;
    return emit(Type.CHAR_CONSTANT);
  }

  private Item lexNumber() {
    if (!scanNumber()) return errorf("bad number syntax: " + GoFmt.quote(input.substring(start, pos)));
    int sign = peek();
    state = State.INSIDE_ACTION;
    if (sign == '+' || sign == '-') {
      if (!scanNumber() || input.charAt(pos - 1) != 'i') {
        return errorf("bad number syntax: " + GoFmt.quote(input.substring(start, pos)));
      }
      return emit(Type.COMPLEX);
    }
    return emit(Type.NUMBER);
  }

  private boolean scanNumber() {
    accept("+-");
    String digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (accept("oO")) digits = "01234567_";
      else if (accept("bB")) digits = "01_";
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length() == 10 + 1 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length() == 16 + 6 + 1 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    if (isAlphaNumeric(peek())) {
      nextRune();
      return false;
    }
    return true;
  }

  private Item lexQuote() {
    while (true) {
      int r = nextRune();
      if (r == '\\') {
        int e = nextRune();
        if (e != EOF && e != '\n') continue;
        return errorf("unterminated quoted string");
      }
      if (r == EOF || r == '\n') return errorf("unterminated quoted string");
      if (r == '"') break;
    }
    state = State.INSIDE_ACTION;
    return emit(Type.STRING);
  }

  private Item lexRawQuote() {
    while (true) {
      int r = nextRune();
      if (r == EOF) return errorf("unterminated raw quoted string");
      if (r == '`') break;
    }
    state = State.INSIDE_ACTION;
    return emit(Type.RAW_STRING);
  }

  private static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\r' || r == '\n';
  }

  static boolean isAlphaNumeric(int r) {
    return r == '_' || (r >= 0 && (Character.isLetter(r) || Character.isDigit(r)));
  }
}
