package io.strata.build.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.build.SharedData;
import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of BuildKit's shell-word test data (src/test/resources/testdata/dockerfile-shell, see its
 * README); missing data fails the tests.
 */
class ShellLexerTest {
  private static final ShellLexer LEXER = new ShellLexer('\\');
  private static final Map<String, String> ENV_VAR_TEST_ENV = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");

  record WordCase(String file, int line, String source, String expected, Map<String, String> env) {
    @Override
    public String toString() {
      return file + ":" + line + " " + source;
    }
  }

  private static Path data(String name) {
    return SharedData.dir("dockerfile-shell").resolve(name);
  }

  private static List<String> lines(String name) throws IOException {
    return Files.readAllLines(data(name), StandardCharsets.UTF_8);
  }

  /** envVarTest: PLATFORM|SOURCE|EXPECTED with trimmed fields; W (Windows-only) lines are left out. */
  static List<WordCase> envVarCases() throws IOException {
    List<WordCase> cases = new ArrayList<>();
    List<String> lines = lines("envVarTest");
    int caseLines = 0;
    for (int n = 1; n <= lines.size(); n++) {
      String line = lines.get(n - 1);
      if (line.startsWith("#") || line.isBlank()) continue;
      String[] f = line.split("\\|", -1);
      if (f.length != 3) fail("envVarTest:" + n + ": not PLATFORM|SOURCE|EXPECTED: " + line);
      caseLines++;
      String platform = f[0].strip();
      if (!List.of("A", "U", "W").contains(platform)) fail("envVarTest:" + n + ": unknown platform " + platform);
      if (!platform.equals("W")) cases.add(new WordCase("envVarTest", n, f[1].strip(), f[2].strip(), ENV_VAR_TEST_ENV));
    }
    assertEquals(230, caseLines, "envVarTest case lines (README)");
    assertEquals(228, cases.size(), "envVarTest A and U lines");
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("envVarCases")
  void processWord(WordCase c) {
    if (c.expected().equals("error")) {
      assertThrows(InvalidArgumentException.class, () -> LEXER.processWord(c.source(), c.env()::get));
    } else {
      assertEquals(c.expected(), LEXER.processWord(c.source(), c.env()::get));
    }
  }

  /** wordsTest: a cumulative environment from ENV lines, INPUT|EXPECTED with a comma-separated list. */
  static List<WordCase> wordsCases() throws IOException {
    List<WordCase> cases = new ArrayList<>();
    Map<String, String> env = new HashMap<>();
    List<String> lines = lines("wordsTest");
    int envLines = 0;
    for (int n = 1; n <= lines.size(); n++) {
      String line = lines.get(n - 1);
      if (line.startsWith("#")) continue;
      if (line.startsWith("ENV ")) {
        String assignment = line.substring(3).stripLeading(); // trailing spaces are part of the value
        int eq = assignment.indexOf('=');
        if (eq < 1) fail("wordsTest:" + n + ": not ENV name=value: " + line);
        env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        envLines++;
        continue;
      }
      String[] f = line.split("\\|", -1);
      if (f.length != 2) fail("wordsTest:" + n + ": not INPUT|EXPECTED: " + line);
      cases.add(new WordCase("wordsTest", n, f[0].strip(), f[1].stripLeading(), Map.copyOf(env)));
    }
    assertEquals(24, cases.size(), "wordsTest cases (README)");
    assertEquals(4, envLines, "wordsTest ENV lines (README)");
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wordsCases")
  void processWords(WordCase c) {
    if (c.expected().equals("error")) {
      assertThrows(InvalidArgumentException.class, () -> LEXER.processWords(c.source(), c.env()::get));
    } else {
      assertEquals(List.of(c.expected().split(",", -1)), LEXER.processWords(c.source(), c.env()::get));
    }
  }

  record MatchCase(int index, JsonNode json) {
    @Override
    public String toString() {
      return "#" + index + " " + json.path("input").asText();
    }
  }

  static List<MatchCase> withMatchesCases() throws IOException {
    JsonNode all = new ObjectMapper().readTree(data("process-with-matches.json").toFile());
    List<MatchCase> cases = new ArrayList<>();
    all.forEach(c -> cases.add(new MatchCase(cases.size(), c)));
    assertEquals(50, cases.size(), "process-with-matches.json cases (README)");
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withMatchesCases")
  void processWordWithMatches(MatchCase mc) {
    JsonNode c = mc.json();
    Map<String, String> env = new HashMap<>();
    c.path("envs").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    String input = c.path("input").asText();
    if (c.path("expectError").asBoolean()) {
      assertThrows(InvalidArgumentException.class, () -> LEXER.processWordWithMatches(input, env::get));
      return;
    }
    ShellLexer.Result r = LEXER.processWordWithMatches(input, env::get);
    assertEquals(c.path("expected").asText(), r.word());
    if (c.has("matched")) assertEquals(names(c.path("matched")), r.matched(), "matched");
    if (c.has("unmatched")) assertEquals(names(c.path("unmatched")), r.unmatched(), "unmatched");
  }

  private static Set<String> names(JsonNode array) {
    Set<String> names = new HashSet<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }

  // Behaviour the shared data does not cover.

  private static String word(String source, String... env) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < env.length; i += 2) m.put(env[i], env[i + 1]);
    return LEXER.processWord(source, m::get);
  }

  @Test
  void backtickEscapeToken() {
    ShellLexer lexer = new ShellLexer('`');
    assertEquals("a$b\\c\"", lexer.processWord("a`$b\\c\"`\"\"", Map.<String, String>of()::get));
    assertEquals(List.of("C:\\a b", "c"), lexer.processWords("C:\\a` b c", Map.<String, String>of()::get));
    assertThrows(InvalidArgumentException.class, () -> new ShellLexer('x'));
  }

  @Test
  void heredocMarkerStaysOneWord() {
    assertEquals(List.of("cat", "<< EOF", "a<b"), LEXER.processWords("cat << EOF a<b", Map.<String, String>of()::get));
    assertEquals("cat << EOF", word("cat << EOF"));
  }

  @Test
  void patternRemovalAndSubstitution() {
    assertEquals("archive.tar", word("${F%.*}", "F", "archive.tar.gz"));
    assertEquals("archive", word("${F%%.*}", "F", "archive.tar.gz"));
    assertEquals("c", word("${F##*/}", "F", "/a/b/c"));
    assertEquals("b/c", word("${F#/*/}", "F", "/a/b/c"));
    assertEquals("x", word("${F//*/x}", "F", "abc")); // Go: no empty match right after a match
    assertEquals("f<o><o>", word("${F//o/'<$0>'}", "F", "foo")); // the replacement is a Go template
    assertEquals("x-y", word("${F/ /-}", "F", "x y"));
    assertThrows(InvalidArgumentException.class, () -> word("${F#\\a}", "F", "abc"));
  }

  @Test
  void errorsNameTheSource() {
    var e = assertThrows(InvalidArgumentException.class, () -> word("a${B:?must be set}"));
    assertEquals("failed to process \"a${B:?must be set}\": B: must be set", e.getMessage());
  }
}
