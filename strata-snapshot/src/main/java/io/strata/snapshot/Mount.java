package io.strata.snapshot;

import java.util.List;

/**
 * One mount to perform, as containerd's {@code mount.Mount}: a filesystem {@code type}
 * ({@code overlay} or {@code bind}), its source and its options in order. Overlay lower layers are
 * options {@code lowerdir+=DIR}, topmost first, each passed to the kernel on its own.
 */
public record Mount(String type, String source, List<String> options) {
  public Mount {
    options = List.copyOf(options);
  }
}
