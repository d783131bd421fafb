package io.strata.layer;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The paths one layer has created, and their ancestors, so that whiteouts in the same layer
 * leave them alone whatever the entry order (containerd's {@code unpackedPaths}).
 */
final class Unpacked {
  private final Path root;
  private final Set<Path> paths = new HashSet<>();
  private final Set<Path> ancestors = new HashSet<>();

  Unpacked(Path root) {
    this.root = root;
  }

  void add(Path p) {
    paths.add(p);
    for (Path a = p.getParent(); a != null && a.startsWith(root) && ancestors.add(a); a = a.getParent()) {
      // each ancestor once
    }
  }

  boolean contains(Path p) {
    return paths.contains(p);
  }

  /** True when something below {@code p} was unpacked by this layer. */
  boolean isAncestor(Path p) {
    return ancestors.contains(p);
  }
}
