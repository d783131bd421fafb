package io.strata.build.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.build.SharedData;
import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of moby/patternmatcher's test data (src/test/resources/testdata/dockerignore, see its README);
 * missing data fails the tests. Both groups run through {@link PatternMatcher#matches}: the
 * README checked that the legacy cases agree with the current semantics once the path is cleaned
 * and the root is never ignored, which {@code matches} does.
 */
class PatternMatcherTest {
  private static Path data() {
    return SharedData.dir("dockerignore");
  }

  record Case(int index, String group, List<String> patterns, String path, boolean expected, boolean expectError) {
    @Override
    public String toString() {
      return "#" + index + " " + group + " " + patterns + " " + path;
    }
  }

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (JsonNode c : new ObjectMapper().readTree(data().resolve("match-cases.json").toFile())) {
      List<String> patterns = new ArrayList<>();
      c.path("patterns").forEach(p -> patterns.add(p.asText()));
      cases.add(new Case(cases.size(), c.path("group").asText(), patterns, c.path("path").asText(),
          c.path("expected").asBoolean(), c.path("expectError").asBoolean()));
    }
    Map<String, Integer> groups = new TreeMap<>();
    cases.forEach(c -> groups.merge(c.group(), 1, Integer::sum));
    assertEquals(Map.of("MatchesOrParentMatches", 72, "legacy-Matches", 65), groups, "cases per group (README)");
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matches(Case c) {
    if (c.expectError()) {
      assertThrows(InvalidArgumentException.class, () -> new PatternMatcher(c.patterns()).matches(c.path()));
    } else {
      assertEquals(c.expected(), new PatternMatcher(c.patterns()).matches(c.path()));
    }
  }

  @Test
  void readAll() throws IOException {
    Path dir = data().resolve("readall");
    String text = Files.readString(dir.resolve("dockerignore"), StandardCharsets.UTF_8);
    List<String> expected = Files.readAllLines(dir.resolve("expected-patterns.txt"), StandardCharsets.UTF_8);
    assertEquals(expected, IgnoreFile.read(text));
  }

  // Behaviour the shared data does not cover.

  @Test
  void readAllBomCrlfAndIndentedHash() {
    assertEquals(List.of("a", "#b", "c"), IgnoreFile.read("\uFEFFa\r\n  #b\r\n#c\r\n/c/.\r\n"));
  }

  @Test
  void exclusionsAreReported() {
    assertFalse(new PatternMatcher(List.of("*.go", "docs")).hasExclusions());
    assertTrue(new PatternMatcher(List.of("*.go", "!main.go")).hasExclusions());
  }

  @Test
  void leadingDoubleStarIsASuffixTest() {
    // moby compares "**x" (x literal) as a suffix, so it also matches inside a name
    PatternMatcher m = new PatternMatcher(List.of("**.log"));
    assertTrue(m.matches("a/b/debug.log"));
    assertFalse(m.matches("a/b/debug.txt"));
  }

  @Test
  void classesAndEscapesAreLiteral() {
    assertTrue(new PatternMatcher(List.of("[*]x")).matches("*x"));
    assertFalse(new PatternMatcher(List.of("[*]x")).matches("ax"));
    assertTrue(new PatternMatcher(List.of("a\\d")).matches("ad"));
    assertFalse(new PatternMatcher(List.of("a\\d")).matches("a1"));
    assertTrue(new PatternMatcher(List.of("[[]")).matches("["));
    assertTrue(new PatternMatcher(List.of("a^b")).matches("a^b")); // literal without wildcards
    assertTrue(new PatternMatcher(List.of("^*.txt")).matches("a.txt")); // moby's regex anchor
    assertFalse(new PatternMatcher(List.of("a*^b")).matches("a^b"));
    assertThrows(InvalidArgumentException.class, () -> new PatternMatcher(List.of("[z-a]")));
  }

  @Test
  void cleansPaths() {
    PatternMatcher m = new PatternMatcher(List.of("docs/", "!docs/keep.md"));
    assertTrue(m.matches("./docs//a.md"));
    assertFalse(m.matches("docs/x/../keep.md"));
    assertFalse(new PatternMatcher(List.of("**")).matches("./"));
  }
}
