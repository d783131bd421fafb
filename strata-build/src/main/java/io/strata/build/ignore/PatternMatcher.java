package io.strata.build.ignore;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code .dockerignore} (and {@code COPY --exclude}) matcher, moby's patternmatcher with
 * {@code MatchesOrParentMatches}: patterns are tried in order and the last one that matches a path
 * or one of its parent directories decides, an inclusion ignoring it, a {@code !} exclusion
 * keeping it. {@code *} and {@code ?} stay within a path component, {@code **} spans any number of
 * them, {@code [...]} classes and {@code \} escapes follow Go's {@code filepath.Match}.
 */
public final class PatternMatcher {
  private final List<IgnorePattern> patterns = new ArrayList<>();
  private final boolean exclusions;

  /** Patterns as {@link IgnoreFile#read} gives them; each is trimmed and cleaned, empty ones are skipped. */
  public PatternMatcher(List<String> patterns) {
    for (String raw : patterns) {
      String p = GoStrings.trimSpace(raw);
      // cleaned before the "!" is looked at, as moby does
      if (!p.isEmpty()) this.patterns.add(IgnorePattern.compile(GoPaths.clean(p)));
    }
    this.exclusions = this.patterns.stream().anyMatch(IgnorePattern::exclusion);
  }

  /**
   * Whether a slash-separated path relative to the context root is ignored. The path is cleaned
   * first; the root itself ({@code .}) is never ignored.
   */
  public boolean matches(String slashPath) {
    String path = GoPaths.clean(slashPath);
    if (path.equals(".")) return false;
    List<String> parents = GoPaths.parents(path);
    boolean ignored = false;
    for (IgnorePattern p : patterns) {
      if (p.exclusion() != ignored) continue; // it could not change the outcome
      if (p.matches(path) || parents.stream().anyMatch(p::matches)) ignored = !p.exclusion();
    }
    return ignored;
  }

  /** Whether there are no patterns: nothing is ignored. */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** Whether some pattern starts with {@code !}: then an ignored directory may still hold kept files. */
  public boolean hasExclusions() {
    return exclusions;
  }
}
