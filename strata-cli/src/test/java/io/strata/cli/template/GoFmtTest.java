package io.strata.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cases of Go's fmt_test.go {@code fmtTests} whose argument is an int, float, complex, string, bool, nil or list. */
class GoFmtTest {
  private static final JsonNode TABLE = GoTemplateTestTable.read("fmt-cases.json");

  static Stream<Arguments> cases() {
    return GoTemplateTestTable.list(TABLE.get("cases")).stream()
        .map(c -> Arguments.of(c.get("format").asText() + " " + c.get("value"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sprintfAsGoDoes(String name, JsonNode c) {
    Object arg = value(c.get("value"));
    assertEquals(c.get("output").asText(), GoFmt.sprintf(c.get("format").asText(), List.of(arg)));
  }

  private static Object value(JsonNode v) {
    if (v.has("int")) return v.get("int").longValue();
    if (v.has("float")) return number(v.get("float"));
    if (v.has("string")) return v.get("string").asText();
    if (v.has("bool")) return v.get("bool").asBoolean();
    if (v.has("complex")) return new Complex(number(v.get("complex").get(0)), number(v.get("complex").get(1)));
    if (v.has("list")) {
      List<Object> items = new ArrayList<>();
      v.get("list").forEach(i -> items.add(value(i)));
      return new GoList(items);
    }
    if (v.has("map")) {
      Map<String, Object> m = new LinkedHashMap<>();
      v.get("map").properties().forEach(e -> m.put(e.getKey(), value(e.getValue())));
      return new GoMap(m);
    }
    return Nothing.NO_VALUE;
  }

  private static double number(JsonNode n) {
    return switch (n.asText()) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> n.doubleValue();
    };
  }
}
