package io.strata.runtime.volume;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A named volume of the local driver: a directory of the store ({@code mountpoint}, Docker's
 * {@code volumes/NAME/_data}), or, with {@code options}, what they describe ({@code type=tmpfs},
 * {@code type=none,o=bind,device=/path}). An anonymous one is named by 64 hex digits and goes with
 * its container on {@code rm -v} and {@code --rm}.
 */
public record Volume(String name, Path mountpoint, Instant created, Map<String, String> labels, Map<String, String> options,
    boolean anonymous) {
  /** The label Docker 23+ puts on anonymous volumes. */
  public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

  public Volume {
    labels = Map.copyOf(labels);
    options = Map.copyOf(options);
  }

  public String driver() {
    return "local";
  }
}
