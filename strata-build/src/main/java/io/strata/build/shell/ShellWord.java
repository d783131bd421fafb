package io.strata.build.shell;

import io.strata.errdefs.InvalidArgumentException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** One processing of one source word: a cursor over its code points and the names looked up. */
final class ShellWord {
  private static final int EOF = -1;

  record Processed(String word, List<String> words) {}

  private final String src;
  private final int escape;
  private final Function<String, String> env;
  private final Set<String> matched = new LinkedHashSet<>();
  private final Set<String> unmatched = new LinkedHashSet<>();
  private int pos;
  private final boolean keepQuotes;

  ShellWord(String src, int escape, Function<String, String> env) {
    this(src, escape, env, false);
  }

  /** {@code keepQuotes}: quotes are ordinary characters (BuildKit's {@code SkipProcessQuotes}). */
  ShellWord(String src, int escape, Function<String, String> env, boolean keepQuotes) {
    this.keepQuotes = keepQuotes;
    this.src = src;
    this.escape = escape;
    this.env = env;
    // Go's text/scanner skips a byte order mark at the start
    this.pos = src.startsWith("\uFEFF") ? 1 : 0;
  }

  Set<String> matched() {
    return matched;
  }

  Set<String> unmatched() {
    return unmatched;
  }

  Processed process() {
    try {
      return processUntil(EOF, false);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("failed to process \"" + src + "\": " + e.getMessage());
    }
  }

  private int peek() {
    return pos < src.length() ? src.codePointAt(pos) : EOF;
  }

  private int next() {
    int ch = peek();
    if (ch != EOF) pos += Character.charCount(ch);
    return ch;
  }

  /**
   * Processes up to {@code stop} (consumed) or the end. {@code rawEscapes} keeps escape characters
   * in the result, as patterns and replacements of {@code ${...}} need them.
   */
  private Processed processUntil(int stop, boolean rawEscapes) {
    StringBuilder result = new StringBuilder();
    Words words = new Words();
    while (peek() != EOF) {
      int ch = peek();
      if (ch == stop) {
        next();
        return new Processed(result.toString(), words.get());
      }
      if (ch == '$') {
        String value = dollar();
        result.append(value);
        words.addString(value);
        continue;
      }
      if ((ch == '\'' || ch == '"') && !keepQuotes || ch == '<') {
        String text = ch == '\'' ? singleQuoted() : ch == '"' ? doubleQuoted(rawEscapes) : possibleHeredoc();
        result.append(text);
        words.addRaw(text);
        continue;
      }
      next();
      if (ch == escape) {
        if (rawEscapes) {
          words.addRaw(ch);
          result.appendCodePoint(ch);
        }
        ch = next();
        if (ch == EOF) break; // a trailing escape is dropped
        words.addRaw(ch);
      } else {
        words.addChar(ch);
      }
      result.appendCodePoint(ch);
    }
    if (stop != EOF) {
      throw new InvalidArgumentException("unexpected end of statement while looking for matching " + Character.toString(stop));
    }
    return new Processed(result.toString(), words.get());
  }

  private String singleQuoted() {
    next();
    StringBuilder b = new StringBuilder();
    for (int ch = next(); ch != '\''; ch = next()) {
      if (ch == EOF) throw new InvalidArgumentException("unexpected end of statement while looking for matching single-quote");
      b.appendCodePoint(ch);
    }
    return b.toString();
  }

  private String doubleQuoted(boolean rawEscapes) {
    next();
    StringBuilder b = new StringBuilder();
    while (true) {
      int ch = peek();
      if (ch == EOF) throw new InvalidArgumentException("unexpected end of statement while looking for matching double-quote");
      if (ch == '"') {
        next();
        return b.toString();
      }
      if (ch == '$') {
        b.append(dollar());
        continue;
      }
      next();
      if (ch == escape) {
        if (rawEscapes) b.appendCodePoint(ch);
        int escaped = peek();
        if (escaped == EOF) continue; // the loop then reports the missing quote
        if (escaped == '"' || escaped == '$' || escaped == escape) ch = next();
        // before any other character the escape is kept, as sh does
      }
      b.appendCodePoint(ch);
    }
  }

  /** {@code <<} and the blanks after it stay one word, so that a heredoc marker is not split from its name. */
  private String possibleHeredoc() {
    next();
    if (peek() != '<') return "<";
    next();
    StringBuilder b = new StringBuilder("<<");
    while (peek() == ' ' || peek() == '\t' || peek() == '\r') b.appendCodePoint(next());
    return b.toString();
  }

  private String dollar() {
    next();
    if (peek() != '{') {
      String name = name();
      if (name.isEmpty()) return "$"; // "$." and a final "$" are literal
      return orEmpty(lookup(name));
    }
    next();
    int first = peek();
    if (first == EOF) throw new InvalidArgumentException("syntax error: missing '}'");
    if (first == '{' || first == '}' || first == ':') throw new InvalidArgumentException("syntax error: bad substitution");
    String name = name();
    int op = next();
    return switch (op) {
      case '}' -> orEmpty(lookup(name));
      case ':' -> modifier(name, next(), true);
      case '+', '-', '?', '#', '%' -> modifier(name, op, false);
      case '/' -> substitution(name);
      case EOF -> throw new InvalidArgumentException("syntax error: missing '}'");
      default -> throw unsupported(Character.toString(op));
    };
  }

  /** {@code ${name<op>word}}; {@code colon} makes an empty value count as unset. */
  private String modifier(String name, int op, boolean colon) {
    String modifier = (colon ? ":" : "") + (op == EOF ? "" : Character.toString(op));
    boolean pattern = op == '#' || op == '%';
    if (colon && pattern) throw unsupported(modifier);
    String word = processUntil('}', pattern, "syntax error: missing '}'");
    String value = lookup(name);
    boolean unset = value == null || colon && value.isEmpty();
    return switch (op) {
      case '-' -> unset ? word : value;
      case '+' -> unset ? "" : word;
      case '?' -> {
        if (unset) {
          String why = value == null ? "is not allowed to be unset" : "is not allowed to be empty";
          throw new InvalidArgumentException(name + ": " + (word.isEmpty() ? why : word));
        }
        yield value;
      }
      case '#', '%' -> {
        // the doubled operator is read from the processed word, as BuildKit does
        boolean longest = !word.isEmpty() && word.codePointAt(0) == op;
        String glob = longest ? word.substring(1) : word;
        yield op == '#'
            ? ShellPattern.trimPrefix(orEmpty(value), glob, longest)
            : ShellPattern.trimSuffix(orEmpty(value), glob, longest);
      }
      default -> throw unsupported(modifier);
    };
  }

  /** {@code ${name/pattern/replacement}} (first match) or {@code ${name//pattern/replacement}} (all). */
  private String substitution(String name) {
    boolean all = peek() == '/';
    if (all) next();
    String pattern = processUntil('/', true, "syntax error: missing '/' in ${}");
    String replacement = processUntil('}', true, "syntax error: missing '}'");
    String value = orEmpty(lookup(name));
    return all
        ? ShellPattern.replaceAll(value, pattern, replacement)
        : ShellPattern.replaceFirst(value, pattern, replacement);
  }

  /** A nested word; any error that ran into the end of the source becomes {@code missing}. */
  private String processUntil(int stop, boolean rawEscapes, String missing) {
    try {
      return processUntil(stop, rawEscapes).word();
    } catch (InvalidArgumentException e) {
      if (peek() == EOF) throw new InvalidArgumentException(missing);
      throw e;
    }
  }

  /** A name (letters, digits, {@code _}), a positional parameter (digits) or one special parameter. */
  private String name() {
    StringBuilder b = new StringBuilder();
    int ch = peek();
    if (Character.isDigit(ch)) {
      while (Character.isDigit(peek())) b.appendCodePoint(next());
      return b.toString();
    }
    if (ch != EOF && "@*#?-$!0".indexOf(ch) >= 0) return Character.toString(next());
    while (peek() != EOF && (Character.isLetterOrDigit(peek()) || peek() == '_')) b.appendCodePoint(next());
    return b.toString();
  }

  /** The value, or null when unset; positional and special parameters are only set if the environment has them. */
  private String lookup(String name) {
    String value = env.apply(name);
    (value == null ? unmatched : matched).add(name);
    return value;
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }

  private static InvalidArgumentException unsupported(String modifier) {
    return new InvalidArgumentException("unsupported modifier (" + modifier + ") in substitution");
  }
}
