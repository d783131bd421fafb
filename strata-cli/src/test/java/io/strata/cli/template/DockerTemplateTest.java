package io.strata.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Docker's {@code --format} templates ({@link DockerFuncs#parse}) over inspect-like JSON
 * (docker-cases.json: the usual scripts, Docker's functions, the error lines), and over listing
 * rows ({@link Row}: fields, {@code .Label}, unknown fields).
 */
class DockerTemplateTest {
  private static final JsonNode TABLE = GoTemplateTestTable.read("docker-cases.json");

  static Stream<Arguments> cases() {
    return GoTemplateTestTable.list(TABLE.get("cases")).stream().map(c -> Arguments.of(c.get("template").asText(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void formatsAsDocker(String template, JsonNode c) {
    JsonNode data = TABLE.get("data").get(c.get("dataRef").asText());
    if (c.has("output")) {
      assertEquals(c.get("output").asText(), DockerFuncs.parse(template).execute(data));
    } else {
      TemplateException e = assertThrows(TemplateException.class, () -> DockerFuncs.parse(template).execute(data));
      if (c.has("error")) assertEquals(c.get("error").asText(), e.getMessage());
      String part = c.path("errorContains").asText("");
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }

  private static Row container() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("ID", "4b8d2c1e9f0a");
    f.put("Image", "busybox");
    f.put("Command", "\"sh -c 'echo hi'\"");
    f.put("Names", "web");
    f.put("State", "running");
    f.put("Status", "Up 2 minutes");
    return Row.of("*formatter.ContainerContext", f).withLabels(Map.of("com.example.vendor", "ACME", "a", "b"));
  }

  @Test
  void rowsExposeFieldsAndLabelMethod() {
    Row row = container();
    assertEquals("web running", DockerFuncs.parse("{{.Names}} {{.State}}").execute(row));
    assertEquals("ACME|", DockerFuncs.parse("{{.Label \"com.example.vendor\"}}|{{.Label \"nope\"}}").execute(row));
    assertEquals("a=b,com.example.vendor=ACME", DockerFuncs.parse("{{.Labels}}").execute(row));
    assertEquals("ACME", DockerFuncs.parse("{{\"com.example.vendor\" | .Label}}").execute(row));
    assertEquals("\"web\"", DockerFuncs.parse("{{json .Names}}").execute(row));
  }

  @Test
  void jsonOfARowIsDockersMarshalledContext() {
    Row row = Row.of("*formatter.ImageContext", Map.of("Tag", "<none>", "ID", "a&b"));
    assertEquals("{\"ID\":\"a\\u0026b\",\"Tag\":\"\\u003cnone\\u003e\"}", DockerFuncs.parse("{{json .}}").execute(row));
    assertEquals("\"<none>\"", DockerFuncs.parse("{{json .Tag}}").execute(row));
  }

  @Test
  void unknownFieldOfARowIsGosError() {
    TemplateException e = assertThrows(TemplateException.class, () -> DockerFuncs.parse("{{.Foo}}").execute(container()));
    assertEquals("template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext",
        e.getMessage());
    e = assertThrows(TemplateException.class, () -> DockerFuncs.parse("{{.Names 1}}").execute(container()));
    assertEquals("template: :1:2: executing \"\" at <.Names>: Names has arguments but cannot be invoked as function",
        e.getMessage());
    e = assertThrows(TemplateException.class, () -> DockerFuncs.parse("{{.Label}}").execute(container()));
    assertEquals("template: :1:2: executing \"\" at <.Label>: wrong number of args for Label: want 1 got 0", e.getMessage());
  }

  @Test
  void headerFunctionsKeepTitles() {
    Object header = Values.mapWithMethods(Map.of("Names", "NAMES", "ID", "CONTAINER ID"), Map.of());
    Template t = DockerFuncs.parse("{{upper .ID}}\t{{json .Names}}\t{{truncate .ID 3}}\t{{pad .Names 1 1}}")
        .withFuncs(DockerFuncs.header());
    assertEquals("CONTAINER ID\tNAMES\tCONTAINER ID\t NAMES ", t.execute(header));
  }

  @Test
  void javaDataConverts() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("list", List.of("a", "b"));
    data.put("n", 3);
    data.put("f", 2.5f);
    data.put("none", null);
    assertEquals("[a b] 3 2.5 <nil> map[f:2.5 list:[a b] n:3 none:<nil>]",
        Template.parse("{{.list}} {{.n}} {{.f}} {{.none}} {{.}}").execute(data));
  }
}
