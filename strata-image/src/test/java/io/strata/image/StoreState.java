package io.strata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a test compares to show a failed command left the store exactly as before. */
record StoreState(List<String> files, String images, String tags, List<String> leases) {
  static StoreState of(ImageService service) {
    Path root = service.store().root();
    try (Stream<Path> walk = Files.walk(root)) {
      List<String> files = walk
          .filter(p -> !p.getFileName().toString().startsWith("metadata.db"))
          .map(p -> root.relativize(p) + (Files.isRegularFile(p) ? " " + size(p) : ""))
          .sorted()
          .toList();
      var report = service.fsck();
      assertTrue(report.ok(), () -> "fsck: " + report.problems());
      return new StoreState(files, service.store().images().list().toString(),
          service.store().images().allTags().toString(), service.store().leases().list());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void assertUnchanged(ImageService service) {
    assertEquals(this, of(service), "store changed");
    assertEquals(List.of(), leases(), "no lease left behind");
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
