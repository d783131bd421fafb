package io.strata.build.ignore;

import io.strata.errdefs.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * One cleaned pattern of a {@link PatternMatcher}, compiled as moby's patternmatcher does: a
 * pattern without wildcards is compared as is, {@code x**} is a prefix test, {@code **x} (x
 * literal) a suffix test, anything else a regular expression over the whole path.
 *
 * <p>Syntax errors are Go's {@code filepath.Match} ones. Where moby's regex translation leaks Go
 * regex syntax, two readings follow {@code filepath.Match} instead: {@code \} before a letter,
 * digit or non-ASCII character escapes that character (for moby {@code \d} is a digit class and
 * {@code \q} an error), and bracket classes hold literal characters and ranges only (moby expands
 * {@code *} and {@code ?} inside them). A {@code ^} outside a class is kept as moby has it: literal
 * in a pattern without wildcards, an anchor in a regular expression (so {@code ^*.txt} is {@code *.txt}).
 */
final class IgnorePattern {
  private enum Kind { EXACT, PREFIX, SUFFIX, REGEX }

  private final String text;
  private final boolean exclusion;
  private final Kind kind;
  private final String affix;
  private final Pattern regex;

  private IgnorePattern(String text, boolean exclusion, Kind kind, String affix, Pattern regex) {
    this.text = text;
    this.exclusion = exclusion;
    this.kind = kind;
    this.affix = affix;
    this.regex = regex;
  }

  /** A trimmed, cleaned pattern; a leading {@code !} makes it an exclusion. */
  static IgnorePattern compile(String cleaned) {
    boolean exclusion = cleaned.startsWith("!");
    if (exclusion && cleaned.length() == 1) throw new InvalidArgumentException("illegal exclusion pattern: \"!\"");
    String p = exclusion ? cleaned.substring(1) : cleaned;
    int[] cps = p.codePoints().toArray();
    StringBuilder re = new StringBuilder();
    Kind kind = Kind.EXACT;
    for (int i = 0; i < cps.length; i++) {
      boolean first = i == 0;
      int c = cps[i];
      if (c == '*' && at(cps, i + 1) == '*') {
        i++;
        if (at(cps, i + 1) == '/') i++; // "**/" is "**"
        if (i + 1 == cps.length) {
          // a trailing "**" matches everything below, as in .gitignore
          if (kind == Kind.EXACT) {
            kind = Kind.PREFIX;
          } else {
            re.append(".*");
            kind = Kind.REGEX;
          }
        } else {
          re.append("(?:.*/)?"); // any number of directories, none included
          kind = Kind.REGEX;
        }
        if (first) kind = Kind.SUFFIX; // moby's fast path; a later wildcard turns it into a regex again
      } else if (c == '*') {
        re.append("[^/]*");
        kind = Kind.REGEX;
      } else if (c == '?') {
        re.append("[^/]");
        kind = Kind.REGEX;
      } else if (c == '\\') {
        if (++i == cps.length) throw bad(cleaned);
        literal(re, cps[i]);
        kind = Kind.REGEX;
      } else if (c == '[') {
        i = bracket(re, cps, i, cleaned);
        kind = Kind.REGEX;
      } else if (c == ']') {
        literal(re, c);
        kind = Kind.REGEX;
      } else if (c == '^') {
        re.append('^'); // the same anchor in Java's syntax as in Go's
      } else {
        literal(re, c);
      }
    }
    return switch (kind) {
      case EXACT -> new IgnorePattern(cleaned, exclusion, kind, p, null);
      case PREFIX -> new IgnorePattern(cleaned, exclusion, kind, p.substring(0, p.length() - 2), null);
      case SUFFIX -> new IgnorePattern(cleaned, exclusion, kind, p.substring(2), null);
      // Go's "." does not match a newline, and only "\n" is one
      case REGEX -> new IgnorePattern(cleaned, exclusion, kind, null, Pattern.compile(re.toString(), Pattern.UNIX_LINES));
    };
  }

  boolean exclusion() {
    return exclusion;
  }

  boolean matches(String path) {
    return switch (kind) {
      case EXACT -> path.equals(affix);
      case PREFIX -> path.startsWith(affix);
      // "**/foo" also matches "foo" itself
      case SUFFIX -> path.endsWith(affix) || affix.startsWith("/") && path.equals(affix.substring(1));
      case REGEX -> regex.matcher(path).matches();
    };
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * Appends the class starting at {@code cps[open]} ({@code [}) and returns the index of its
   * {@code ]}. Go's rules: an optional {@code ^}, then at least one character or range, each
   * character possibly escaped; a {@code -} or {@code ]} where a character is due is an error.
   */
  private static int bracket(StringBuilder re, int[] cps, int open, String pattern) {
    int i = open + 1;
    re.append('[');
    if (at(cps, i) == '^') {
      re.append('^');
      i++;
    }
    int ranges = 0;
    while (at(cps, i) != ']' || ranges == 0) {
      int lo = classChar(cps, i, pattern);
      i += cps[i] == '\\' ? 2 : 1;
      int hi = lo;
      if (at(cps, i) == '-') {
        hi = classChar(cps, ++i, pattern);
        i += cps[i] == '\\' ? 2 : 1;
      }
      if (lo > hi) throw bad(pattern); // Go's regexp refuses the range
      re.append(String.format("\\x{%x}", lo));
      if (hi != lo) re.append(String.format("-\\x{%x}", hi));
      ranges++;
    }
    re.append(']');
    return i;
  }

  private static int classChar(int[] cps, int i, String pattern) {
    int c = at(cps, i);
    if (c == -1 || c == '-' || c == ']') throw bad(pattern);
    if (c == '\\') c = at(cps, i + 1);
    // a class must be closed after its character
    if (c == -1 || at(cps, cps[i] == '\\' ? i + 2 : i + 1) == -1) throw bad(pattern);
    return c;
  }

  private static void literal(StringBuilder re, int c) {
    // Java allows "\" before any character that is not a letter or digit
    if (c < 0x80 && !Character.isLetterOrDigit(c)) re.append('\\');
    re.appendCodePoint(c);
  }

  private static int at(int[] cps, int i) {
    return i < cps.length ? cps[i] : -1;
  }

  private static InvalidArgumentException bad(String pattern) {
    return new InvalidArgumentException("syntax error in pattern \"" + pattern + "\"");
  }
}
