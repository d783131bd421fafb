package io.strata.image;

import io.strata.oci.Digest;
import java.util.List;

/**
 * What {@code load} recorded: the tags it set, familiar ({@code busybox:latest}, printed by
 * docker as "Loaded image: …"), and the IDs of every image loaded ("Loaded image ID: …").
 */
public record LoadResult(List<String> loadedRefs, List<Digest> loadedIds) {
  public LoadResult {
    loadedRefs = List.copyOf(loadedRefs);
    loadedIds = List.copyOf(loadedIds);
  }
}
