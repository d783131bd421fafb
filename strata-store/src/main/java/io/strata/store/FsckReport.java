package io.strata.store;

import java.util.List;

/** Problems found by {@link Fsck}, one line each, how many blobs were re-hashed, and how many entries wait in the trash. */
public record FsckReport(List<String> problems, int blobsChecked, int trashEntries) {
  public FsckReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
