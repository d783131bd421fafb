package io.strata.build.shell;

import io.strata.errdefs.InvalidArgumentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell patterns of {@code ${V#p} ${V%p} ${V/p/r}}, matched as BuildKit does: turned into a Go
 * regular expression ({@code *} any run, {@code ?} one character, {@code \} before {@code * ? \}
 * makes it literal, before {@code /} and {@code }} it is dropped, before anything else it is an
 * error; no bracket expressions) and searched leftmost-first. Pattern escapes are always
 * {@code \}, whatever the Dockerfile escape token.
 */
final class ShellPattern {
  private ShellPattern() {}

  /** {@code ${V#p}}: the shortest matching prefix removed, or the longest one with {@code longest}. */
  static String trimPrefix(String value, String pattern, boolean longest) {
    Matcher m = compile(pattern, longest, pattern).matcher(value);
    return m.lookingAt() ? value.substring(m.end()) : value;
  }

  /** {@code ${V%p}}: a regex only finds leftmost matches, so pattern and value are reversed. */
  static String trimSuffix(String value, String pattern, boolean longest) {
    String reversed = reverse(value);
    Matcher m = compile(reversePattern(pattern), longest, pattern).matcher(reversed);
    return m.lookingAt() ? reverse(reversed.substring(m.end())) : value;
  }

  /** {@code ${V/p/r}}: the leftmost match (stars greedy) replaced by {@code replacement} as is. */
  static String replaceFirst(String value, String pattern, String replacement) {
    Matcher m = compile(pattern, true, pattern).matcher(value);
    return m.find() ? value.substring(0, m.start()) + replacement + value.substring(m.end()) : value;
  }

  /**
   * {@code ${V//p/r}}: Go's {@code ReplaceAllString}. An empty match right after a match is not
   * replaced (Java's replaceAll would), and the replacement is a Go template, so {@code $0} is the
   * match, {@code $$} a dollar and other {@code $name} empty.
   */
  static String replaceAll(String value, String pattern, String replacement) {
    Matcher m = compile(pattern, true, pattern).matcher(value);
    StringBuilder out = new StringBuilder();
    int lastEnd = 0;
    int search = 0;
    while (search <= value.length() && m.find(search)) {
      out.append(value, lastEnd, m.start());
      if (m.end() > lastEnd || m.start() == 0) out.append(expand(replacement, m.group()));
      lastEnd = m.end();
      int width = search < value.length() ? Character.charCount(value.codePointAt(search)) : 1;
      search = Math.max(search + width, m.end());
    }
    return out.append(value, lastEnd, value.length()).toString();
  }

  /** Go's {@code Regexp.Expand} for an expression without groups. */
  private static String expand(String template, String match) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (int dollar = template.indexOf('$'); dollar >= 0; dollar = template.indexOf('$', i)) {
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      boolean brace = i < template.length() && template.charAt(i) == '{';
      int start = brace ? i + 1 : i;
      int end = start;
      while (end < template.length() && (Character.isLetterOrDigit(template.codePointAt(end)) || template.charAt(end) == '_')) {
        end += Character.charCount(template.codePointAt(end));
      }
      if (end == start || brace && (end >= template.length() || template.charAt(end) != '}')) {
        out.append('$'); // malformed: the dollar is literal
        continue;
      }
      if (template.substring(start, end).equals("0")) out.append(match);
      i = brace ? end + 1 : end;
    }
    return out.append(template, i, template.length()).toString();
  }

  private static Pattern compile(String pattern, boolean greedy, String shown) {
    StringBuilder re = new StringBuilder();
    int[] cps = pattern.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      if (c == '*') {
        re.append(greedy ? ".*" : ".*?");
      } else if (c == '?') {
        re.append('.');
      } else if (c == '\\') {
        int escaped = i + 1 < cps.length ? cps[i + 1] : -1;
        if (escaped == '}' || escaped == '/') continue; // needed inside ${...}, not part of the pattern
        if (escaped != '*' && escaped != '?' && escaped != '\\') {
          String what = escaped == -1 ? "a trailing \\" : "invalid escape '\\" + Character.toString(escaped) + "'";
          throw new InvalidArgumentException("invalid pattern (" + shown + ") in substitution: " + what);
        }
        re.append('\\').appendCodePoint(escaped);
        i++;
      } else if ("[]{}.+()|^$".indexOf(c) >= 0) {
        re.append('\\').appendCodePoint(c);
      } else {
        re.appendCodePoint(c);
      }
    }
    // Go's "." does not match a newline, and only "\n" is one
    return Pattern.compile(re.toString(), Pattern.UNIX_LINES);
  }

  /** The pattern reversed with each escape kept before its character: {@code a\*c} gives {@code c\*a}. */
  private static String reversePattern(String pattern) {
    int[] cps = pattern.codePoints().toArray();
    int[] out = new int[cps.length];
    int last = cps.length - 1;
    for (int i = 0; i <= last; ) {
      if (cps[i] == '\\' && i != last) {
        out[last - i - 1] = '\\';
        out[last - i] = cps[i + 1];
        i += 2;
      } else {
        out[last - i] = cps[i];
        i++;
      }
    }
    return new String(out, 0, out.length);
  }

  private static String reverse(String s) {
    return new StringBuilder(s).reverse().toString(); // keeps surrogate pairs in order
  }
}
