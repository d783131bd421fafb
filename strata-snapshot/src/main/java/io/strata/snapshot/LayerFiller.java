package io.strata.snapshot;

import io.strata.layer.WhiteoutMode;
import java.nio.file.Path;

/** Writes one layer's files into a snapshot directory, with whiteouts in the driver's form. */
@FunctionalInterface
public interface LayerFiller {
  void fill(Path dir, WhiteoutMode whiteouts);
}
