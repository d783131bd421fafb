package io.strata.build.shell;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * BuildKit's word processor for Dockerfile instructions: quotes ({@code '…'} literal,
 * {@code "…"} with {@code $} expansion and escapes of {@code \ " $}), the escape character,
 * {@code $NAME}, {@code ${NAME}} and its modifiers ({@code :- - :+ + :? ?}, prefix/suffix removal
 * {@code # ## % %%} and substitution {@code / //} with shell glob patterns). {@link #processWords}
 * also splits into words, field-splitting unquoted expansions.
 */
public final class ShellLexer {
  private final char escape;

  public ShellLexer(char escape) {
    this.escape = escape;
  }

  public record Result(String word, Set<String> matched, Set<String> unmatched) {}

  public String processWord(String word, Function<String, String> env) {
    return new Run(word, env).process().word;
  }

  public List<String> processWords(String word, Function<String, String> env) {
    return new Run(word, env).process().words;
  }

  public Result processWordWithMatches(String word, Function<String, String> env) {
    Run r = new Run(word, env);
    String w = r.process().word;
    return new Result(w, r.matched, r.unmatched);
  }

  private record Processed(String word, List<String> words) {}

  /** Field splitting: raw text joins the current word, text from an unquoted expansion splits on whitespace. */
  private static final class Words {
    final List<String> words = new ArrayList<>();
    final StringBuilder word = new StringBuilder();

    void addChar(int ch) {
      if (Character.isWhitespace(ch)) {
        if (!word.isEmpty()) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.appendCodePoint(ch);
      }
    }

    void addRaw(String s) {
      word.append(s);
    }

    void addString(String s) {
      s.codePoints().forEach(this::addChar);
    }

    List<String> get() {
      if (!word.isEmpty()) words.add(word.toString());
      return words;
    }
  }

  /** One processing of one source string. */
  private final class Run {
    private final String src;
    private final Function<String, String> env;
    private int pos;
    final Set<String> matched = new LinkedHashSet<>();
    final Set<String> unmatched = new LinkedHashSet<>();

    Run(String src, Function<String, String> env) {
      this.src = src;
      this.env = env;
    }

    private int peek() {
      return pos < src.length() ? src.codePointAt(pos) : -1;
    }

    private int next() {
      if (pos >= src.length()) return -1;
      int c = src.codePointAt(pos);
      pos += Character.charCount(c);
      return c;
    }

    Processed process() {
      Processed p = processStopOn(-1, false);
      return p;
    }

    private Processed processStopOn(int stop, boolean rawEscapes) {
      StringBuilder result = new StringBuilder();
      Words words = new Words();
      while (peek() != -1) {
        int ch = peek();
        if (stop != -1 && ch == stop) {
          next();
          return new Processed(result.toString(), words.get());
        }
        if (ch == '\'' || ch == '"' || ch == '$') {
          String tmp = ch == '\'' ? singleQuote() : ch == '"' ? doubleQuote() : dollar();
          result.append(tmp);
          if (ch == '$') words.addString(tmp);
          else words.addRaw(tmp);
          continue;
        }
        ch = next();
        if (ch == escape) {
          if (rawEscapes) {
            words.addRaw(Character.toString(ch));
            result.appendCodePoint(ch);
          }
          ch = next();
          if (ch == -1) break; // a trailing escape is dropped
          words.addRaw(Character.toString(ch));
        } else {
          words.addChar(ch);
        }
        result.appendCodePoint(ch);
      }
      if (stop != -1) {
        throw new InvalidArgumentException("unexpected end of statement while looking for matching " + Character.toString(stop));
      }
      return new Processed(result.toString(), words.get());
    }

    private String singleQuote() {
      next();
      StringBuilder b = new StringBuilder();
      while (true) {
        int ch = next();
        if (ch == -1) throw new InvalidArgumentException("unexpected end of statement while looking for matching single-quote");
        if (ch == '\'') return b.toString();
        b.appendCodePoint(ch);
      }
    }

    private String doubleQuote() {
      next();
      StringBuilder b = new StringBuilder();
      while (true) {
        int ch = peek();
        if (ch == -1) throw new InvalidArgumentException("unexpected end of statement while looking for matching double-quote");
        if (ch == '"') {
          next();
          return b.toString();
        }
        if (ch == '$') {
          b.append(dollar());
          continue;
        }
        ch = next();
        if (ch == escape) {
          int p = peek();
          if (p == -1) continue; // an escape at the end is ignored
          if (p == '"' || p == '$' || p == escape) ch = next();
        }
        b.appendCodePoint(ch);
      }
    }

    private String dollar() {
      next(); // $
      if (peek() != '{') {
        String name = name();
        if (name.isEmpty()) return "$";
        return lookup(name).orElse("");
      }
      next(); // {
      int p = peek();
      if (p == -1) throw new InvalidArgumentException("syntax error: missing '}'");
      if (p == '{' || p == '}' || p == ':') throw new InvalidArgumentException("syntax error: bad substitution");
      String name = name();
      int ch = next();
      switch (ch) {
        case '}' -> {
          return lookup(name).orElse("");
        }
        case '?' -> {
          String word = processStopOn('}', false).word();
          var value = lookup(name);
          if (value.isEmpty()) throw new InvalidArgumentException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
          return value.get();
        }
        case ':' -> {
          int modifier = next();
          String word = stopOnBrace();
          var value = lookup(name);
          String v = value.orElse("");
          return switch (modifier) {
            case '+' -> v.isEmpty() ? "" : word;
            case '-' -> v.isEmpty() ? word : v;
            case '?' -> {
              if (v.isEmpty()) {
                String message = !word.isEmpty() ? word : value.isEmpty() ? "is not allowed to be unset" : "is not allowed to be empty";
                throw new InvalidArgumentException(name + ": " + message);
              }
              yield v;
            }
            default -> throw new InvalidArgumentException("unsupported modifier (" + Character.toString(modifier) + ") in substitution");
          };
        }
        case '+', '-' -> {
          String word = stopOnBrace();
          var value = lookup(name);
          if (ch == '+') return value.isPresent() ? word : "";
          return value.orElse(word);
        }
        case '#', '%' -> {
          boolean longest = peek() == ch;
          if (longest) next();
          String pattern = processStopOn('}', true).word();
          String v = lookup(name).orElse("");
          return ch == '#' ? Globs.removePrefix(v, pattern, longest, escape) : Globs.removeSuffix(v, pattern, longest, escape);
        }
        case '/' -> {
          boolean all = peek() == '/';
          if (all) next();
          String pattern = processStopOn('/', true).word();
          String replacement = processStopOn('}', true).word();
          String v = lookup(name).orElse("");
          return Globs.replace(v, pattern, replacement, all, escape);
        }
        default -> throw new InvalidArgumentException(ch == -1 ? "syntax error: missing '}'"
            : "unsupported modifier (" + Character.toString(ch) + ") in substitution");
      }
    }

    private String stopOnBrace() {
      try {
        return processStopOn('}', false).word();
      } catch (InvalidArgumentException e) {
        if (peek() == -1) throw new InvalidArgumentException("syntax error: missing '}'");
        throw e;
      }
    }

    /** A variable name, a run of digits (positional), or one special parameter character. */
    private String name() {
      StringBuilder b = new StringBuilder();
      while (peek() != -1) {
        int ch = peek();
        if (b.isEmpty() && Character.isDigit(ch)) {
          while (peek() != -1 && Character.isDigit(peek())) b.appendCodePoint(next());
          return b.toString();
        }
        if (b.isEmpty() && "@*#?-$!0".indexOf(ch) >= 0) return Character.toString(next());
        if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') break;
        b.appendCodePoint(next());
      }
      return b.toString();
    }

    /** The variable's value; positional and special parameters are never set. */
    private java.util.Optional<String> lookup(String name) {
      boolean special = !name.isEmpty() && !Character.isLetter(name.codePointAt(0)) && name.charAt(0) != '_';
      String v = special ? null : env.apply(name);
      if (v == null) unmatched.add(name);
      else matched.add(name);
      return java.util.Optional.ofNullable(v);
    }
  }
}
