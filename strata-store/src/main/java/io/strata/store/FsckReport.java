package io.strata.store;

import java.util.List;

/**
 * Problems found by {@link Fsck}, one line each, how many blobs were re-hashed, how many entries wait
 * in the trash, and the leases with their owners and what they hold (none is a problem: a lease of a
 * dead process is released by the next command that writes).
 */
public record FsckReport(List<String> problems, int blobsChecked, int trashEntries, List<String> leases) {
  public FsckReport {
    problems = List.copyOf(problems);
    leases = List.copyOf(leases);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
