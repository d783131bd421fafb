package io.strata.image;

import io.strata.oci.Digest;
import java.time.Instant;
import java.util.List;

/**
 * One row group of {@code docker images}. {@code repoTags} are familiar ({@code busybox:latest});
 * empty means dangling. {@code sharedSize} counts layers that other images use too.
 */
public record ImageSummary(Digest id, List<String> repoTags, List<String> repoDigests, Instant created,
    long size, long sharedSize, long uniqueSize, int containers) {
  public ImageSummary {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
  }

  public boolean dangling() {
    return repoTags.isEmpty() && repoDigests.isEmpty();
  }
}
