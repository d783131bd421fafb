package io.strata.build.ignore;

import java.util.ArrayList;
import java.util.List;

/** Reads a {@code .dockerignore} as moby's {@code ignorefile.ReadAll}: comments, trimming, cleaning, {@code !}. */
public final class IgnoreFile {
  private IgnoreFile() {}

  public static List<String> read(String text) {
    List<String> patterns = new ArrayList<>();
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("#")) continue;
      String p = line.strip();
      if (p.isEmpty()) continue;
      boolean invert = p.charAt(0) == '!';
      if (invert) p = p.substring(1).strip();
      if (!p.isEmpty()) {
        p = GoPaths.clean(p);
        if (p.length() > 1 && p.charAt(0) == '/') p = p.substring(1);
      }
      patterns.add(invert ? "!" + p : p);
    }
    return patterns;
  }
}
