package io.strata.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the external case data carried in this module's test resources ({@code src/test/resources/testdata},
 * each folder's README names its source), which tests never edit.
 */
final class SharedTestData {
  private SharedTestData() {}

  static Path dir(String name) {
    URL url = SharedTestData.class.getResource("/testdata/" + name);
    if (url == null) throw new IllegalStateException("test data missing: testdata/" + name);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
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
