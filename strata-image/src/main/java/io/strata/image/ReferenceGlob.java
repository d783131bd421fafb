package io.strata.image;

import io.strata.errdefs.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * Go's {@code path.Match} as docker's {@code reference=} filter uses it: {@code *} and {@code ?}
 * never match {@code /}, {@code [a-z]} and {@code [^…]} are classes, {@code \} escapes.
 */
final class ReferenceGlob {
  private final Pattern pattern;

  private ReferenceGlob(Pattern pattern) {
    this.pattern = pattern;
  }

  static ReferenceGlob compile(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '\\' -> {
          if (++i >= glob.length()) throw bad(glob);
          re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '[' -> i = appendClass(glob, i, re);
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new ReferenceGlob(Pattern.compile(re.toString()));
  }

  /** Copies a character class starting at {@code glob[start] == '['}; returns the index of its ']'. */
  private static int appendClass(String glob, int start, StringBuilder re) {
    int i = start + 1;
    StringBuilder cls = new StringBuilder("[");
    if (i < glob.length() && glob.charAt(i) == '^') {
      cls.append('^');
      i++;
    }
    boolean empty = true;
    for (; i < glob.length() && (glob.charAt(i) != ']' || empty); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) c = glob.charAt(++i);
      if (c == '-' && !empty && i + 1 < glob.length() && glob.charAt(i + 1) != ']') {
        cls.append('-');
      } else {
        cls.append(c == '[' || c == ']' || c == '^' || c == '&' || c == '\\' ? "\\" + c : String.valueOf(c));
      }
      empty = false;
    }
    if (i >= glob.length()) throw bad(glob);
    re.append("(?!/)").append(cls).append(']');
    return i;
  }

  boolean matches(String s) {
    return pattern.matcher(s).matches();
  }

  private static InvalidArgumentException bad(String glob) {
    return new InvalidArgumentException("invalid reference filter " + ImageNames.quote(glob) + ": syntax error in pattern");
  }
}
