package io.strata.cli;

import io.strata.build.BuildCacheAdmin;
import io.strata.store.GcReport;
import java.io.IOException;

/**
 * {@code strata builder prune}: removes dangling build cache (entries whose layer no image has;
 * with -a every entry) and every cache mount no build is using, then the blobs nothing else holds.
 */
final class BuilderPruneCommand extends CliCommand {
  BuilderPruneCommand(Session session) {
    super(session, "prune", "Remove build cache");
    flag("Remove all unused build cache, not just dangling ones", "-a", "--all");
    flag("Do not prompt for confirmation", "-f", "--force");
  }

  @Override
  public Integer call() throws IOException {
    boolean all = isSet("--all");
    String warning = all ? "WARNING! This will remove all build cache." : "WARNING! This will remove all dangling build cache.";
    if (!isSet("--force") && !PruneCommand.confirm(session, warning)) return ExitCodes.OK;
    BuildCacheAdmin.Pruned pruned = new BuildCacheAdmin(session.images().store()).prune(all);
    GcReport gc = session.images().gc();
    session.out().println("Deleted build cache objects: " + (pruned.entries() + pruned.mounts()));
    session.out().println("Total reclaimed space: " + HumanUnits.humanSize(gc.reclaimedBytes() + pruned.mountBytes()));
    session.out().flush();
    return ExitCodes.OK;
  }
}
