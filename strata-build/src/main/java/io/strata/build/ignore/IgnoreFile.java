package io.strata.build.ignore;

import java.util.ArrayList;
import java.util.List;

/** Reads a {@code .dockerignore} into the pattern list for {@link PatternMatcher}, as moby's {@code ignorefile.ReadAll}. */
public final class IgnoreFile {
  private IgnoreFile() {}

  /**
   * One pattern per line: a leading BOM is dropped, a line starting with {@code #} in its first
   * column is a comment, lines are trimmed and empty ones dropped, a leading {@code !} is split
   * off and the rest trimmed again, then cleaned, with one leading {@code /} removed (patterns are
   * relative to the context root). A lone {@code !} is kept; the matcher refuses it.
   */
  public static List<String> read(String dockerignoreText) {
    List<String> patterns = new ArrayList<>();
    String[] lines = dockerignoreText.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
      if (n == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
      if (line.startsWith("#")) continue;
      String pattern = GoStrings.trimSpace(line);
      if (pattern.isEmpty()) continue;
      boolean invert = pattern.charAt(0) == '!';
      if (invert) pattern = GoStrings.trimSpace(pattern.substring(1));
      if (!pattern.isEmpty()) {
        pattern = GoPaths.clean(pattern);
        if (pattern.length() > 1 && pattern.charAt(0) == '/') pattern = pattern.substring(1);
      }
      patterns.add(invert ? "!" + pattern : pattern);
    }
    return List.copyOf(patterns);
  }
}
