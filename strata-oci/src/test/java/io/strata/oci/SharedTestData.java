package io.strata.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the shared test data ({@code strata.shared}/testdata), which tests never edit. */
final class SharedTestData {
  private SharedTestData() {}

  static Path dir(String name) {
    String shared = System.getProperty("strata.shared");
    if (shared == null) throw new IllegalStateException("system property strata.shared is not set (run through Maven)");
    return Path.of(shared, "testdata", name);
  }

  /** The data rows of a TSV file (header dropped), split on TAB only, keeping empty trailing cells. */
  static List<String[]> tsv(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return lines.stream().skip(1).filter(l -> !l.isEmpty()).map(l -> l.split("\t", -1)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
