package io.strata.build.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.build.SharedData;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** moby/patternmatcher's cases from ../shared/testdata/dockerignore. */
class PatternMatcherTest {
  static List<JsonNode> cases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    Json.mapper().readTree(SharedData.dir("dockerignore").resolve("match-cases.json").toFile()).forEach(out::add);
    return out;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matches(JsonNode c) {
    List<String> patterns = new ArrayList<>();
    c.path("patterns").forEach(p -> patterns.add(p.asText()));
    String path = c.path("path").asText();
    if (c.path("expectError").asBoolean()) {
      assertThrows(InvalidArgumentException.class, () -> new PatternMatcher(patterns).matches(path));
      return;
    }
    boolean legacy = c.path("group").asText().equals("legacy-Matches");
    String p = legacy ? GoPaths.clean(path) : path;
    boolean ignored = !(legacy && p.equals(".")) && new PatternMatcher(patterns).matches(p);
    assertEquals(c.path("expected").asBoolean(), ignored, c.toString());
  }

  @Test
  void readAll() throws IOException {
    var dir = SharedData.dir("dockerignore").resolve("readall");
    assertEquals(Files.readAllLines(dir.resolve("expected-patterns.txt")), IgnoreFile.read(Files.readString(dir.resolve("dockerignore"))));
  }
}
