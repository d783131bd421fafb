package io.strata.runtime.spec;

import java.util.List;

/** A tmpfs at {@code destination} (a build's {@code RUN --mount=type=tmpfs}); {@code options} as mount(8) takes them. */
public record TmpfsMount(String destination, List<String> options) {
  public TmpfsMount {
    options = List.copyOf(options);
  }
}
