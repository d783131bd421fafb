package io.strata.cli;

import io.strata.image.PruneReport;
import io.strata.store.GcReport;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata system prune}: removes dangling (with -a: unused) images, then every unreachable blob. */
@Command(name = "prune", description = "Remove unused data")
final class SystemPruneCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  private final Session session;

  @Option(names = {"-a", "--all"}, description = "Remove all unused images not just dangling ones")
  boolean all;
  @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
  boolean force;

  SystemPruneCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws IOException {
    String warning = "WARNING! This will remove:\n"
        + (all ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n")
        + "  - all blobs that no image, container or build cache uses";
    if (!force && !PruneCommand.confirm(session, warning)) return ExitCodes.OK;
    var service = session.images();
    PruneReport images = service.prune(all);
    GcReport gc = service.gc();
    PruneCommand.print(new PruneReport(images.deleted(), images.reclaimedBytes() + gc.reclaimedBytes()), session.out());
    return ExitCodes.OK;
  }
}
