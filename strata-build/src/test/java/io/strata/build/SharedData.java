package io.strata.build;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * External case data carried in this module's test resources ({@code src/test/resources/testdata}, each
 * folder's README names its source); missing data fails, never skips.
 */
public final class SharedData {
  private SharedData() {}

  public static Path dir(String name) {
    URL url = SharedData.class.getResource("/testdata/" + name);
    assertTrue(url != null, "test data missing: testdata/" + name);
    try {
      Path base = Path.of(url.toURI());
      assertTrue(Files.isDirectory(base), "test data is not a directory: " + base);
      return base;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<Path> children(String name) {
    try (Stream<Path> s = Files.list(dir(name))) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
