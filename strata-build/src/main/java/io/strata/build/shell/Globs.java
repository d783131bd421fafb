package io.strata.build.shell;

import io.strata.errdefs.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * Shell glob patterns of {@code ${V#p}}, {@code ${V%p}}, {@code ${V/p/r}}: {@code *} any run,
 * {@code ?} one character, the escape character makes the next one literal; everything else,
 * regex metacharacters included, is literal.
 */
final class Globs {
  private Globs() {}

  static Pattern compile(String glob, char escape) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == escape && i + 1 < glob.length()) {
        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
      } else if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  static String removePrefix(String v, String glob, boolean longest, char escape) {
    Pattern p = compile(glob, escape);
    if (longest) {
      for (int n = v.length(); n >= 0; n--) if (p.matcher(v.substring(0, n)).matches()) return v.substring(n);
    } else {
      for (int n = 0; n <= v.length(); n++) if (p.matcher(v.substring(0, n)).matches()) return v.substring(n);
    }
    return v;
  }

  static String removeSuffix(String v, String glob, boolean longest, char escape) {
    Pattern p = compile(glob, escape);
    if (longest) {
      for (int n = 0; n <= v.length(); n++) if (p.matcher(v.substring(n)).matches()) return v.substring(0, n);
    } else {
      for (int n = v.length(); n >= 0; n--) if (p.matcher(v.substring(n)).matches()) return v.substring(0, n);
    }
    return v;
  }

  /** The leftmost, longest match replaced (or every match, left to right, with {@code all}). */
  static String replace(String v, String glob, String replacement, boolean all, char escape) {
    if (all && glob.isEmpty() && replacement.isEmpty()) return v;
    if (all && glob.isEmpty()) throw new InvalidArgumentException("bad substitution: empty pattern");
    Pattern p = compile(glob, escape);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i <= v.length()) {
      int end = -1;
      for (int e = v.length(); e >= i; e--) {
        if (p.matcher(v.substring(i, e)).matches()) {
          end = e;
          break;
        }
      }
      if (end < 0) {
        if (i < v.length()) out.append(v.charAt(i));
        i++;
        continue;
      }
      out.append(replacement);
      if (!all) return out + v.substring(end);
      if (end == i) {
        if (i < v.length()) out.append(v.charAt(i));
        i++;
      } else {
        i = end;
      }
    }
    return out.toString();
  }
}
