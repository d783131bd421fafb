package io.strata.cli;

import io.strata.image.PruneReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code strata image prune [-a] [-f]}: removes dangling (or, with -a, all unused) images. */
final class PruneCommand extends CliCommand {
  static final String WARNING_DANGLING = "WARNING! This will remove all dangling images.";
  static final String WARNING_ALL = "WARNING! This will remove all images without at least one container associated to them.";

  PruneCommand(Session session) {
    super(session, "prune", "Remove unused images");
    flag("Remove all unused images, not just dangling ones", "-a", "--all");
    flag("Do not prompt for confirmation", "-f", "--force");
  }

  @Override
  public Integer call() throws IOException {
    boolean all = isSet("--all");
    if (!isSet("--force") && !confirm(session, all ? WARNING_ALL : WARNING_DANGLING)) return ExitCodes.OK;
    print(session.images().prune(all), session.out());
    return ExitCodes.OK;
  }

  static void print(PruneReport report, PrintWriter out) {
    if (!report.deleted().isEmpty()) {
      out.println("Deleted Images:");
      RmiCommand.print(report.deleted(), out, true);
      out.println();
    }
    out.println("Total reclaimed space: " + HumanUnits.humanSize(report.reclaimedBytes()));
    out.flush();
  }

  /** docker's prompt: the warning, then "Are you sure you want to continue? [y/N] "; only y/yes proceeds. */
  static boolean confirm(Session session, String warning) throws IOException {
    PrintWriter out = session.out();
    out.println(warning);
    out.print("Are you sure you want to continue? [y/N] ");
    out.flush();
    var reader = new BufferedReader(new InputStreamReader(session.streams().in(), StandardCharsets.UTF_8));
    String answer = reader.readLine();
    boolean yes = answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    if (!yes) out.println();
    return yes;
  }
}
