package io.strata.store;

import java.util.List;

/** Problems found by {@link Fsck}, one line each, and how many blobs were re-hashed. */
public record FsckReport(List<String> problems, int blobsChecked) {
  public FsckReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }
}
