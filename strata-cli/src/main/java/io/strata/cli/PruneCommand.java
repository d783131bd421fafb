package io.strata.cli;

import io.strata.image.PruneReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata image prune [-a] [-f]}: removes dangling (or, with -a, all unused) images. */
@Command(name = "prune", description = "Remove unused images")
final class PruneCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  static final String WARNING_DANGLING = "WARNING! This will remove all dangling images.";
  static final String WARNING_ALL = "WARNING! This will remove all images without at least one container associated to them.";

  private final Session session;

  @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
  boolean all;
  @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
  boolean force;

  PruneCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws IOException {
    if (!force && !confirm(session, all ? WARNING_ALL : WARNING_DANGLING)) return ExitCodes.OK;
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
