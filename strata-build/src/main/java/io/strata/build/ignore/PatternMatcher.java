package io.strata.build.ignore;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code .dockerignore} matching as moby's patternmatcher: patterns in order, the last that
 * matches a path or one of its parent directories decides ({@code !} re-includes); {@code *} and
 * {@code ?} stay within a path component, {@code **} spans components, {@code [...]} classes and
 * {@code \} escapes follow Go's {@code filepath.Match}.
 */
public final class PatternMatcher {
  private record Rule(Pattern regex, boolean exclusion) {}

  private final List<Rule> rules = new ArrayList<>();

  public PatternMatcher(List<String> patterns) {
    for (String raw : patterns) {
      String p = raw.strip();
      if (p.isEmpty()) continue;
      boolean exclusion = p.charAt(0) == '!';
      if (exclusion) {
        p = p.substring(1).strip();
        if (p.isEmpty()) throw new InvalidArgumentException("illegal exclusion pattern: \"!\"");
      }
      p = GoPaths.clean(p);
      validate(p, raw);
      rules.add(new Rule(Pattern.compile(regex(p), Pattern.DOTALL), exclusion));
    }
  }

  public boolean hasExclusions() {
    return rules.stream().anyMatch(Rule::exclusion);
  }

  /** Whether {@code path} (slash-separated, relative to the context) is ignored. */
  public boolean matches(String path) {
    String file = path;
    int slash = file.lastIndexOf('/');
    String parent = slash < 0 ? "." : file.substring(0, slash);
    String[] parentDirs = parent.split("/");
    boolean matched = false;
    for (Rule r : rules) {
      if (r.exclusion() != matched) continue; // this pattern cannot change the outcome
      boolean match = r.regex().matcher(file).matches();
      if (!match && !parent.equals(".")) {
        StringBuilder prefix = new StringBuilder();
        for (String d : parentDirs) {
          if (!prefix.isEmpty()) prefix.append('/');
          prefix.append(d);
          if (r.regex().matcher(prefix).matches()) {
            match = true;
            break;
          }
        }
      }
      if (match) matched = !r.exclusion();
    }
    return matched;
  }

  private static String regex(String p) {
    StringBuilder re = new StringBuilder("^");
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '*') {
        if (i + 1 < p.length() && p.charAt(i + 1) == '*') {
          i++;
          if (i + 1 < p.length() && p.charAt(i + 1) == '/') i++;
          re.append(i + 1 >= p.length() ? ".*" : "(.*/)?");
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else if (".+()|{}$^".indexOf(c) >= 0 && !inClass(p, i)) {
        re.append('\\').append(c);
      } else if (c == '\\') {
        re.append(i + 1 < p.length() ? "\\" + p.charAt(++i) : "\\\\");
      } else {
        re.append(c);
      }
    }
    return re.append('$').toString();
  }

  /** Whether position {@code i} is inside a {@code [...]} class (where {@code ^} negates). */
  private static boolean inClass(String p, int i) {
    int open = -1;
    for (int j = 0; j < i; j++) {
      char c = p.charAt(j);
      if (c == '\\') j++;
      else if (c == '[' && open < 0) open = j;
      else if (c == ']' && open >= 0 && j > open + 1) open = -1;
    }
    return open >= 0;
  }

  /** Go's filepath.Match syntax rules: classes closed and well formed, no lone trailing escape. */
  private static void validate(String p, String raw) {
    int n = p.length();
    for (int i = 0; i < n; i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        if (++i >= n) throw bad(raw);
      } else if (c == '[') {
        i++;
        if (i < n && p.charAt(i) == '^') i++;
        int ranges = 0;
        while (true) {
          if (i < n && p.charAt(i) == ']' && ranges > 0) break;
          i = classChar(p, i, raw);
          if (i < n && p.charAt(i) == '-') i = classChar(p, i + 1, raw);
          ranges++;
        }
      }
    }
  }

  /** Index after one class character (escaped or not); '-', ']' or the end there is an error. */
  private static int classChar(String p, int i, String raw) {
    if (i >= p.length() || p.charAt(i) == '-' || p.charAt(i) == ']') throw bad(raw);
    if (p.charAt(i) == '\\' && ++i >= p.length()) throw bad(raw);
    return i + 1;
  }

  private static InvalidArgumentException bad(String raw) {
    return new InvalidArgumentException("syntax error in pattern " + raw + ": bad pattern");
  }
}
