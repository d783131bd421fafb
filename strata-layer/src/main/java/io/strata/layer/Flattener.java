package io.strata.layer;

import io.strata.errdefs.FailedPreconditionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Squashes layers into one directory tree by applying them bottom-up into an empty directory. */
public final class Flattener {
  private final LayerApplier applier = new LayerApplier();

  /**
   * Applies each layer (opened from its supplier and closed after) in order; returns one result
   * per layer, whose diffIDs a caller can check against the image config.
   */
  public List<ApplyResult> flatten(List<Supplier<InputStream>> layersBottomUp, Path emptyDir, ApplyOptions options) {
    requireEmpty(emptyDir);
    List<ApplyResult> results = new ArrayList<>();
    for (Supplier<InputStream> layer : layersBottomUp) {
      try (InputStream in = layer.get()) {
        results.add(applier.apply(in, emptyDir, options));
      } catch (IOException e) {
        throw new UncheckedIOException("close layer stream", e);
      }
    }
    return results;
  }

  private static void requireEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        throw new FailedPreconditionException("flatten: directory " + dir + " is not empty");
      }
    } catch (IOException e) {
      throw new FailedPreconditionException("flatten: directory " + dir + " is not readable", e);
    }
  }
}
