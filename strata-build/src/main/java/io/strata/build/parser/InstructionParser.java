package io.strata.build.parser;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One logical line to a {@link Node}: the keyword, the leading {@code --flags}, then the arguments
 * by BuildKit's per-instruction rules (JSON arrays, whole-rest strings, blank-split words,
 * shell-like words for ARG/ENV/LABEL, a nested instruction for ONBUILD).
 */
final class InstructionParser {
  private static final Pattern BLANKS = Pattern.compile("[ \t\u000B\f\r]+");
  private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)\\s*(.*)$");

  private final char escape;

  InstructionParser(char escape) {
    this.escape = escape;
  }

  record HeredocStart(String name, boolean expand, boolean chomp, int fd) {}

  Node parse(String line, int startLine, int endLine) {
    Matcher m = BLANKS.matcher(line);
    String keyword;
    String rest;
    if (m.find()) {
      keyword = line.substring(0, m.start());
      rest = line.substring(m.end());
    } else {
      keyword = line;
      rest = "";
    }
    keyword = keyword.toLowerCase(Locale.ROOT);
    List<String> flags = new ArrayList<>();
    rest = takeFlags(rest, flags);
    Node next = null;
    List<String> args;
    switch (keyword) {
      case "from", "expose" -> args = split(rest);
      case "add", "copy", "volume" -> {
        List<String> json = json(rest, startLine);
        args = json != null ? json : split(rest);
      }
      case "run", "cmd", "entrypoint", "shell" -> args = commandArgs(rest, startLine);
      case "healthcheck" -> {
        args = new ArrayList<>();
        String t = rest.strip();
        if (!t.isEmpty()) {
          Matcher w = BLANKS.matcher(t);
          String first = w.find() ? t.substring(0, w.start()) : t;
          String after = w.hitEnd() && !t.contains(" ") && !t.contains("\t") ? "" : t.substring(first.length()).strip();
          args.add(first);
          args.addAll(commandArgs(after, startLine));
        }
      }
      case "maintainer", "user", "workdir", "stopsignal" -> args = rest.strip().isEmpty() ? List.of() : List.of(rest.strip());
      case "arg" -> args = ShellWords.split(rest, escape);
      case "env", "label" -> args = keyValues(keyword, rest, startLine);
      case "onbuild" -> {
        args = List.of();
        if (!rest.strip().isEmpty()) next = parse(rest.strip(), startLine, endLine);
      }
      default -> args = List.of("");
    }
    return new Node(keyword, line, flags, args, next, startLine, endLine, List.of());
  }

  /** Flags are words starting with {@code --} at the start; quotes in them are removed, the escape keeps the next char. */
  private String takeFlags(String rest, List<String> flags) {
    int i = 0;
    int n = rest.length();
    while (true) {
      while (i < n && isBlank(rest.charAt(i))) i++;
      if (!rest.startsWith("--", i)) return rest.substring(i).strip();
      StringBuilder word = new StringBuilder();
      char quote = 0;
      int j = i;
      for (; j < n; j++) {
        char c = rest.charAt(j);
        if (quote == 0 && isBlank(c)) break;
        if (c == escape && j + 1 < n) {
          word.append(rest.charAt(++j));
        } else if (quote == 0 && (c == '"' || c == '\'')) {
          quote = c;
        } else if (quote != 0 && c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      }
      i = j;
      if (word.toString().equals("--")) return rest.substring(i).strip();
      flags.add(word.toString());
    }
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static List<String> split(String rest) {
    String t = rest.strip();
    if (t.isEmpty()) return List.of();
    return List.of(BLANKS.split(t));
  }

  private static List<String> commandArgs(String rest, int line) {
    List<String> json = json(rest, line);
    if (json != null) return json;
    String t = rest.strip();
    return t.isEmpty() ? List.of() : List.of(t);
  }

  /** The strings of a JSON array, or null when the text is not one; an array of non-strings is an error. */
  static List<String> json(String rest, int line) {
    String t = rest.stripLeading();
    if (!t.startsWith("[")) return null;
    JsonNode node;
    try (JsonParser p = Json.mapper().getFactory().createParser(t)) {
      node = Json.mapper().readTree(p);
      if (p.nextToken() != null) return null; // more after the array: not JSON
    } catch (IOException e) {
      return null;
    }
    if (node == null || !node.isArray()) return null;
    List<String> out = new ArrayList<>();
    for (JsonNode e : node) {
      if (!e.isTextual()) {
        throw new InvalidArgumentException("Dockerfile:" + line + ": when using JSON array syntax, arrays must be comprised of strings only");
      }
      out.add(e.asText());
    }
    return out;
  }

  /** ENV and LABEL: {@code k=v ...} (triples k, v, "="), or the legacy {@code k v} (k, v, ""). */
  private List<String> keyValues(String keyword, String rest, int line) {
    List<String> words = ShellWords.split(rest, escape);
    String upper = keyword.toUpperCase(Locale.ROOT);
    if (words.isEmpty()) throw new InvalidArgumentException("Dockerfile:" + line + ": " + upper + " requires at least one argument");
    List<String> args = new ArrayList<>();
    if (!words.getFirst().contains("=")) {
      String t = rest.strip();
      Matcher m = BLANKS.matcher(t);
      if (!m.find()) throw new InvalidArgumentException("Dockerfile:" + line + ": " + upper + " must have two arguments");
      args.add(t.substring(0, m.start()));
      args.add(t.substring(m.end()));
      args.add("");
      return args;
    }
    for (String w : words) {
      int eq = w.indexOf('=');
      if (eq < 0) {
        throw new InvalidArgumentException("Dockerfile:" + line + ": Syntax error - can't find = in \"" + w
            + "\". Must be of the form: name=value");
      }
      if (eq == 0) throw new InvalidArgumentException("Dockerfile:" + line + ": " + upper + " names can not be blank");
      args.add(w.substring(0, eq));
      args.add(w.substring(eq + 1));
      args.add("=");
    }
    return args;
  }

  /** Heredoc words of a RUN, COPY or ADD in shell form (also under ONBUILD), unquoted and at word starts. */
  List<HeredocStart> heredocStarts(Node node) {
    Node n = node.keyword().equals("onbuild") && node.next() != null ? node.next() : node;
    if (!List.of("run", "copy", "add").contains(n.keyword())) return List.of();
    String text = n.original();
    int sp = text.indexOf(' ');
    String rest = takeFlags(sp < 0 ? "" : text.substring(sp + 1), new ArrayList<>());
    if (json(rest, node.startLine()) != null || !rest.contains("<<")) return List.of();
    List<HeredocStart> out = new ArrayList<>();
    for (String word : unquotedWords(rest)) {
      Matcher m = HEREDOC.matcher(word);
      if (!m.matches()) continue;
      String delim = m.group(3);
      if (delim.isEmpty() || delim.startsWith("<") || delim.startsWith("-")) continue;
      boolean quoted = isQuoted(delim);
      String name = unquote(delim, node.startLine());
      if (name.isEmpty()) continue;
      out.add(new HeredocStart(name, !quoted, !m.group(2).isEmpty(), m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1))));
    }
    return out;
  }

  /**
   * Words of a shell-form line, quotes and escapes respected; a word that starts with a quote is
   * never a heredoc, so it is left out. {@code << EOF} counts as one word.
   */
  private List<String> unquotedWords(String s) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(s.charAt(i))) i++;
      if (i >= n) break;
      int start = i;
      i = wordEnd(s, i);
      String w = s.substring(start, i);
      if (w.matches("\\d*<<-?") && i < n) {
        int j = i;
        while (j < n && Character.isWhitespace(s.charAt(j))) j++;
        int k = wordEnd(s, j);
        w = w + s.substring(j, k);
        i = k;
      }
      char c = w.charAt(0);
      if (c != '"' && c != '\'') words.add(w);
    }
    return words;
  }

  private int wordEnd(String s, int i) {
    char quote = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) break;
      if (c == escape && quote != '\'' && i + 1 < s.length()) i++;
      else if (quote == 0 && (c == '"' || c == '\'')) quote = c;
      else if (c == quote) quote = 0;
    }
    return i;
  }

  /** The delimiter without quotes; an escaped character is literal (and does not make it quoted). */
  private String unquote(String delim, int line) {
    StringBuilder b = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < delim.length(); i++) {
      char c = delim.charAt(i);
      if (c == escape && quote != '\'' && i + 1 < delim.length()) b.append(delim.charAt(++i));
      else if (quote == 0 && (c == '"' || c == '\'')) quote = c;
      else if (quote != 0 && c == quote) quote = 0;
      else b.append(c);
    }
    if (quote != 0) throw new InvalidArgumentException("Dockerfile:" + line + ": invalid heredoc delimiter " + delim + ": unbalanced quote");
    return b.toString();
  }

  /** Whether any part of the delimiter is in quotes (then the body does not expand). */
  private boolean isQuoted(String delim) {
    for (int i = 0; i < delim.length(); i++) {
      char c = delim.charAt(i);
      if (c == escape) i++;
      else if (c == '"' || c == '\'') return true;
    }
    return false;
  }

  Node withHeredocs(Node node, List<Heredoc> docs, int endLine) {
    if (node.keyword().equals("onbuild") && node.next() != null) {
      Node inner = node.next();
      inner = new Node(inner.keyword(), inner.original(), inner.flags(), inner.args(), inner.next(), inner.startLine(),
          endLine, docs);
      return new Node(node.keyword(), node.original(), node.flags(), node.args(), inner, node.startLine(), endLine, List.of());
    }
    return new Node(node.keyword(), node.original(), node.flags(), node.args(), node.next(), node.startLine(), endLine, docs);
  }
}
