package io.strata.build.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.build.SharedData;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** BuildKit's parser golden files and cases, carried in src/test/resources/testdata (see each folder's README). */
class DockerfileParserTest {
  static List<Path> positive() {
    return SharedData.children("dockerfile-parser");
  }

  static List<Path> negative() {
    return SharedData.children("dockerfile-parser-negative");
  }

  static List<Path> real() {
    return SharedData.children("dockerfiles-real");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("positive")
  void dumpEqualsBuildKitsResult(Path dir) {
    String expected = SharedData.read(dir.resolve("result"));
    assertEquals(expected, DockerfileParser.parse(SharedData.read(dir.resolve("Dockerfile"))).dump() + "\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("negative")
  void negativeCasesFail(Path dir) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> DockerfileParser.parse(SharedData.read(dir.resolve("Dockerfile"))));
    assertTrue(e.getMessage().startsWith("Dockerfile"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("real")
  void realWorldDockerfilesParse(Path dir) {
    String text = SharedData.read(dir.resolve("Dockerfile"));
    Dockerfile d = DockerfileParser.parse(text);
    assertTrue(d.instructions().size() > 0);
    assertEquals(d.dump(), DockerfileParser.parse(text).dump(), "parsing is deterministic");
  }

  @Test
  void lineNumbers() {
    Path dir = SharedData.dir("dockerfile-parser-extra/line-info");
    Dockerfile d = DockerfileParser.parse(SharedData.read(dir.resolve("Dockerfile")));
    assertEquals(List.of("5-5", "11-12", "17-31"), d.instructions().stream().map(n -> n.startLine() + "-" + n.endLine()).toList());
  }

  @Test
  void heredocs() throws IOException {
    Path dir = SharedData.dir("dockerfile-parser-extra/heredoc");
    Dockerfile d = DockerfileParser.parse(SharedData.read(dir.resolve("Dockerfile")));
    JsonNode expected = Json.mapper().readTree(dir.resolve("expected-heredocs.json").toFile());
    for (JsonNode child : expected.path("children")) {
      Node n = d.instructions().get(child.path("childIndex").asInt());
      assertEquals(child.path("dump").asText(), n.dump());
      JsonNode docs = child.path("heredocs");
      assertEquals(docs.size(), n.heredocs().size(), n.dump());
      for (int i = 0; i < docs.size(); i++) {
        JsonNode h = docs.get(i);
        assertEquals(new Heredoc(h.path("name").asText(), h.path("content").asText(), h.path("expand").asBoolean(),
            h.path("chomp").asBoolean(), h.path("fileDescriptor").asInt()), n.heredocs().get(i));
      }
    }
  }

  @Test
  void jsonFormHasNoHeredocsAndEmptyContinuationsWarn() {
    Path json = SharedData.dir("dockerfile-parser-extra/heredoc-json-form");
    Dockerfile d = DockerfileParser.parse(SharedData.read(json.resolve("Dockerfile")));
    assertEquals(SharedData.read(json.resolve("result.derived")), d.dump() + "\n");
    d.instructions().forEach(n -> assertEquals(List.of(), n.heredocs()));
    Path warn = SharedData.dir("dockerfile-parser-extra/empty-continuation-warnings");
    Dockerfile w = DockerfileParser.parse(SharedData.read(warn.resolve("Dockerfile")));
    assertEquals(SharedData.read(warn.resolve("result.derived")), w.dump() + "\n");
    assertEquals(2, w.warnings().size());
    assertTrue(w.warnings().get(0).contains("RUN something     following     more"), w.warnings().toString());
    assertTrue(w.warnings().get(1).contains("RUN another     thing"), w.warnings().toString());
  }

  @Test
  void errorsNameTheLine() {
    assertEquals("Dockerfile:2: ENV must have two arguments",
        assertThrows(InvalidArgumentException.class, () -> DockerfileParser.parse("FROM a\nENV PATH\n")).getMessage());
    assertTrue(assertThrows(InvalidArgumentException.class, () -> DockerfileParser.parse("FROM a\nRUN <<EOF\necho\n"))
        .getMessage().startsWith("Dockerfile:2: unterminated heredoc"));
  }
}
