package io.strata.cli;

import io.strata.errdefs.DataLossException;
import io.strata.store.FsckReport;
import java.io.PrintWriter;

/** {@code strata system fsck}: verifies every blob's digest and every reference; exit 1 on damage. */
final class FsckCommand extends CliCommand {
  FsckCommand(Session session) {
    super(session, "fsck", "Verify every blob's digest and every reference of the store");
  }

  @Override
  public Integer call() {
    FsckReport report = session.images().fsck();
    PrintWriter out = session.out();
    for (String problem : report.problems()) out.println(problem);
    for (String lease : report.leases()) out.println(lease);
    if (report.trashEntries() > 0) {
      out.println("trash: " + report.trashEntries() + " entries waiting to be deleted (the next prune deletes them)");
    }
    out.println("checked " + report.blobsChecked() + " blobs: "
        + (report.ok() ? "ok" : report.problems().size() + " problems"));
    out.flush();
    if (!report.ok()) {
      throw new DataLossException("store " + session.root() + ": fsck found " + report.problems().size() + " problems");
    }
    return ExitCodes.OK;
  }
}
