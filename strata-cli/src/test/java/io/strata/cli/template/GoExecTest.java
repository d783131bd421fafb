package io.strata.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases of Go's {@code text/template} exec tests ({@code execTests}, {@code cmpTests} and the
 * smaller tests of exec_test.go) whose data JSON can express, run against this engine: each case's
 * output, and whether it fails (with Go's exact message where the case gives one).
 */
class GoExecTest {
  private static final JsonNode TABLE = GoTemplateTestTable.read("exec-cases.json");

  static Stream<Arguments> cases() {
    return GoTemplateTestTable.list(TABLE.get("cases")).stream()
        .map(c -> Arguments.of(c.get("suite").asText() + ": " + c.get("name").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void executesAsGoDoes(String name, JsonNode c) {
    Object data = c.has("dataRef") ? TABLE.get("data").get(c.get("dataRef").asText())
        : c.has("data") ? c.get("data") : Nothing.NO_VALUE;
    StringBuilder out = new StringBuilder();
    TemplateException failure = null;
    try {
      Template.parse(c.path("templateName").asText(""), c.get("template").asText(), GoTemplateTestTable.GO_TEST_FUNCS)
          .execute(data, out);
    } catch (TemplateException e) {
      failure = e;
    }
    if (c.get("ok").asBoolean()) {
      assertNull(failure, () -> "unexpected error");
    } else {
      assertNotNull(failure, "expected an error");
      if (c.has("error")) assertEquals(c.get("error").asText(), failure.getMessage());
      String part = c.path("errorContains").asText("");
      String message = failure.getMessage();
      assertTrue(message.contains(part), () -> message + " does not contain " + part);
    }
    assertEquals(c.get("output").asText(), out.toString());
  }

  @Test
  void tableIsLarge() {
    assertTrue(TABLE.get("cases").size() >= 400);
  }
}
