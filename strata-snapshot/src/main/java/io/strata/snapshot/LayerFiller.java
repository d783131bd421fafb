package io.strata.snapshot;

import io.strata.layer.WhiteoutMode;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one layer's files into a snapshot directory, with whiteouts in the driver's form;
 * {@code lowerDirs} are the parent layers' directories (overlay; topmost first), else empty.
 */
@FunctionalInterface
public interface LayerFiller {
  void fill(Path dir, WhiteoutMode whiteouts, List<Path> lowerDirs);
}
