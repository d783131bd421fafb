package io.strata.build.parser;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dockerfile syntax as BuildKit parses it: parser directives at the top ({@code syntax},
 * {@code escape}, {@code check}), comments and blank lines (also inside continuations), line
 * continuation with the escape character, heredocs after RUN/COPY/ADD, and per-instruction
 * argument rules ({@link InstructionParser}). Errors are {@code Dockerfile:LINE: message}.
 */
public final class DockerfileParser {
  private static final Pattern DIRECTIVE = Pattern.compile("^\\s*#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*$");
  private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
  private static final Set<String> KNOWN = Set.of("from", "run", "cmd", "label", "maintainer", "expose", "env", "add",
      "copy", "entrypoint", "volume", "user", "workdir", "arg", "onbuild", "stopsignal", "healthcheck", "shell");

  private DockerfileParser() {}

  public static boolean isKnown(String keyword) {
    return KNOWN.contains(keyword.toLowerCase(Locale.ROOT));
  }

  public static Dockerfile parse(String text) {
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) lines[i] = lines[i].replaceAll("[\r\n]+$", "");
    Map<String, String> directives = new LinkedHashMap<>();
    int first = 0;
    for (; first < lines.length; first++) {
      Matcher m = DIRECTIVE.matcher(lines[first]);
      if (!m.matches() || !DIRECTIVES.contains(m.group(1).toLowerCase(Locale.ROOT))) break;
      String name = m.group(1).toLowerCase(Locale.ROOT);
      if (directives.put(name, m.group(2)) != null) {
        throw new InvalidArgumentException("Dockerfile:" + (first + 1) + ": only one " + name + " parser directive can be used");
      }
    }
    char escape = '\\';
    if (directives.containsKey("escape")) {
      String e = directives.get("escape");
      if (!e.equals("\\") && !e.equals("`")) {
        throw new InvalidArgumentException("Dockerfile:1: invalid escape token '" + e + "' does not match ` or \\");
      }
      escape = e.charAt(0);
    }
    List<Node> nodes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    InstructionParser instructions = new InstructionParser(escape);
    for (int i = 0; i < lines.length; ) {
      String line = lines[i];
      if (line.isBlank() || isComment(line)) {
        i++;
        continue;
      }
      int start = i;
      StringBuilder logical = new StringBuilder();
      String current = line.stripLeading();
      boolean emptyContinuation = false;
      int end = i;
      while (true) {
        String joined = continued(current, escape);
        if (joined == null) {
          logical.append(current);
          break;
        }
        logical.append(joined);
        int j = end + 1;
        while (j < lines.length && (lines[j].isBlank() || isComment(lines[j]))) {
          if (lines[j].isBlank()) emptyContinuation = true;
          j++;
        }
        if (j >= lines.length) break; // a continuation at end of file ends the instruction
        end = j;
        current = lines[j];
      }
      String original = logical.toString().strip();
      if (emptyContinuation) warnings.add("Empty continuation line found in: " + original);
      Node node = instructions.parse(original, start + 1, end + 1);
      i = end + 1;
      List<InstructionParser.HeredocStart> starts = instructions.heredocStarts(node);
      if (!starts.isEmpty()) {
        List<Heredoc> docs = new ArrayList<>();
        for (InstructionParser.HeredocStart h : starts) {
          StringBuilder body = new StringBuilder();
          boolean terminated = false;
          for (; i < lines.length; i++) {
            String l = lines[i];
            if ((h.chomp() ? l.replaceFirst("^\t+", "") : l).equals(h.name())) {
              terminated = true;
              end = i++;
              break;
            }
            body.append(l).append('\n');
          }
          if (!terminated) throw new InvalidArgumentException("Dockerfile:" + (start + 1) + ": unterminated heredoc");
          docs.add(new Heredoc(h.name(), body.toString(), h.expand(), h.chomp(), h.fd()));
        }
        node = instructions.withHeredocs(node, docs, end + 1);
      }
      nodes.add(node);
    }
    if (nodes.isEmpty()) throw new InvalidArgumentException("Dockerfile: file with no instructions");
    return new Dockerfile(nodes, escape, directives, warnings);
  }

  private static boolean isComment(String line) {
    return line.stripLeading().startsWith("#");
  }

  /**
   * The line without its continuation (the escape character and trailing blanks), or null when it
   * does not continue: an escape preceded by another escape is a literal one.
   */
  private static String continued(String line, char escape) {
    String t = line.replaceFirst("[ \t]+$", "");
    if (t.isEmpty() || t.charAt(t.length() - 1) != escape) return null;
    if (t.length() >= 2 && t.charAt(t.length() - 2) == escape) return null;
    return t.substring(0, t.length() - 1);
  }
}
