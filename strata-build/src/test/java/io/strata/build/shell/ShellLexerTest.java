package io.strata.build.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.build.SharedData;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** BuildKit's shell-word cases from ../shared/testdata/dockerfile-shell. */
class ShellLexerTest {
  private static final ShellLexer LEXER = new ShellLexer('\\');

  record Case(String name, String source, String expected, Map<String, String> env) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> envVarCases() throws IOException {
    Map<String, String> env = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");
    List<Case> cases = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(SharedData.dir("dockerfile-shell").resolve("envVarTest"))) {
      n++;
      if (line.startsWith("#") || line.isBlank()) continue;
      String[] f = line.split("\\|", -1);
      if (f.length != 3 || f[0].strip().equals("W")) continue;
      cases.add(new Case("line " + n + ": " + f[1].strip(), f[1].strip(), f[2].strip(), env));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("envVarCases")
  void processWord(Case c) {
    if (c.expected().equals("error")) {
      assertThrows(InvalidArgumentException.class, () -> LEXER.processWord(c.source(), c.env()::get));
    } else {
      assertEquals(c.expected(), LEXER.processWord(c.source(), c.env()::get));
    }
  }

  static List<Case> wordCases() throws IOException {
    Map<String, String> env = new HashMap<>();
    List<Case> cases = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(SharedData.dir("dockerfile-shell").resolve("wordsTest"))) {
      n++;
      if (line.startsWith("#")) continue;
      if (line.startsWith("ENV ")) {
        String kv = line.substring(3).stripLeading();
        env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        continue;
      }
      String[] f = line.split("\\|", -1);
      cases.add(new Case("line " + n + ": " + f[0].strip(), f[0].strip(), f[1].stripLeading(), Map.copyOf(env)));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wordCases")
  void processWords(Case c) {
    if (c.expected().equals("error")) {
      assertThrows(InvalidArgumentException.class, () -> LEXER.processWords(c.source(), c.env()::get));
    } else {
      assertEquals(Arrays.asList(c.expected().split(",", -1)), LEXER.processWords(c.source(), c.env()::get));
    }
  }

  static List<JsonNode> matchCases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    Json.mapper().readTree(SharedData.dir("dockerfile-shell").resolve("process-with-matches.json").toFile()).forEach(out::add);
    return out;
  }

  @ParameterizedTest
  @MethodSource("matchCases")
  void processWordWithMatches(JsonNode c) {
    Map<String, String> env = new HashMap<>();
    c.path("envs").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    String input = c.path("input").asText();
    if (c.path("expectError").asBoolean()) {
      assertThrows(InvalidArgumentException.class, () -> LEXER.processWordWithMatches(input, env::get));
      return;
    }
    ShellLexer.Result r = LEXER.processWordWithMatches(input, env::get);
    assertEquals(c.path("expected").asText(), r.word(), input);
    if (c.has("matched") && !c.path("matched").isNull()) {
      assertEquals(names(c.path("matched")), new TreeSet<>(r.matched()), input);
      assertEquals(names(c.path("unmatched")), new TreeSet<>(r.unmatched()), input);
    }
  }

  private static TreeSet<String> names(JsonNode a) {
    TreeSet<String> s = new TreeSet<>();
    a.forEach(n -> s.add(n.asText()));
    return s;
  }
}
