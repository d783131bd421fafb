package io.strata.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases of Go's parse_test.go: {@code parseTests} (the tree printed back as Go's
 * {@code Root.String()} does, texts quoted) and {@code errorTests} (part of the message).
 */
class GoParseTest {
  private static final JsonNode TABLE = GoTemplateTestTable.read("parse-cases.json");

  static Stream<Arguments> parseTests() {
    return GoTemplateTestTable.list(TABLE.get("parseTests")).stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Stream<Arguments> errorTests() {
    return GoTemplateTestTable.list(TABLE.get("errorTests")).stream().map(c -> Arguments.of(c.get("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parseTests")
  void parsesAsGoDoes(String name, JsonNode c) {
    String input = c.get("input").asText();
    if (c.get("ok").asBoolean()) {
      Template t = Template.parse(name, input, GoTemplateTestTable.GO_TEST_FUNCS);
      assertEquals(c.get("result").asText(), t.treeString());
    } else {
      assertThrows(TemplateException.class, () -> Template.parse(name, input, GoTemplateTestTable.GO_TEST_FUNCS));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorTests")
  void failsAsGoDoes(String name, JsonNode c) {
    TemplateException e = assertThrows(TemplateException.class,
        () -> Template.parse(name, c.get("input").asText(), GoTemplateTestTable.GO_TEST_FUNCS));
    String want = c.get("error").asText();
    assertTrue(e.getMessage().contains(want), () -> e.getMessage() + " does not contain " + want);
  }
}
