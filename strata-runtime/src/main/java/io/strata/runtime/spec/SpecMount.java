package io.strata.runtime.spec;

import java.util.List;

/** One entry of the spec's {@code mounts}. */
record SpecMount(String destination, String type, String source, List<String> options) {
  SpecMount {
    options = List.copyOf(options);
  }

  /** A bind mount with Docker's options: recursive, private propagation, read-only if asked. */
  static SpecMount bind(String source, String destination, boolean readOnly) {
    return new SpecMount(destination, "bind", source,
        readOnly ? List.of("rbind", "ro", "rprivate") : List.of("rbind", "rprivate"));
  }
}
