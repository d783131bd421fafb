package io.strata.image;

import java.util.List;

/** What {@code image prune} removed and how many blob bytes garbage collection freed. */
public record PruneReport(List<DeleteResult> deleted, long reclaimedBytes) {
  public PruneReport {
    deleted = List.copyOf(deleted);
  }
}
