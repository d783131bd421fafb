package io.strata.cli;

import io.strata.image.PruneReport;
import io.strata.store.GcReport;
import java.io.IOException;

/** {@code strata system prune}: removes dangling (with -a: unused) images, then every unreachable blob. */
final class SystemPruneCommand extends CliCommand {
  SystemPruneCommand(Session session) {
    super(session, "prune", "Remove unused data: dangling images (with -a all unused ones) and unreachable blobs");
    flag("Remove all unused images not just dangling ones", "-a", "--all");
    flag("Do not prompt for confirmation", "-f", "--force");
    flag("Prune anonymous volumes", "--volumes");
  }

  @Override
  public Integer call() throws IOException {
    boolean all = isSet("--all");
    String warning = "WARNING! This will remove:\n"
        + (all ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n")
        + (isSet("--volumes") ? "  - all anonymous volumes not used by at least one container\n" : "")
        + "  - all blobs that no image, container or build cache uses";
    if (!isSet("--force") && !PruneCommand.confirm(session, warning)) return ExitCodes.OK;
    var service = session.images();
    long volumeBytes = 0;
    if (isSet("--volumes")) {
      var volumes = VolumeCommands.Prune.prune(session, false, java.util.List.of());
      if (!volumes.names().isEmpty()) {
        session.out().println("Deleted Volumes:");
        volumes.names().forEach(session.out()::println);
        session.out().println();
      }
      volumeBytes = volumes.bytes();
    }
    PruneReport images = service.prune(all);
    GcReport gc = service.gc();
    PruneCommand.print(new PruneReport(images.deleted(), images.reclaimedBytes() + gc.reclaimedBytes() + volumeBytes), session.out());
    return ExitCodes.OK;
  }
}
