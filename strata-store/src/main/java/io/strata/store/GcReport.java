package io.strata.store;

import io.strata.oci.Digest;
import java.util.List;

/** What a garbage collection removed: blob digests (sorted) and the bytes they took. */
public record GcReport(List<Digest> deleted, long reclaimedBytes) {
  public GcReport {
    deleted = List.copyOf(deleted);
  }
}
