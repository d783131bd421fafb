package io.strata.build;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The external test data in ../shared/testdata (system property strata.shared); missing data fails, never skips. */
public final class SharedData {
  private SharedData() {}

  public static Path dir(String name) {
    Path base = Path.of(System.getProperty("strata.shared", "/work/shared")).resolve("testdata").resolve(name);
    assertTrue(Files.isDirectory(base), "test data missing: " + base);
    return base;
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
