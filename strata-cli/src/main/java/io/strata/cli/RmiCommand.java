package io.strata.cli;

import io.strata.image.DeleteResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata rmi} / {@code image rm}: untags, and deletes an image once nothing names or uses
 * it. Like docker, every argument is tried; a failure is reported and the exit code is 1.
 */
@Command(name = "rmi", description = "Remove one or more images")
final class RmiCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  private final Session session;

  @Option(names = {"-f", "--force"}, description = "Force removal of the image")
  boolean force;
  @Option(names = "--no-prune", description = "Accepted for docker compatibility (strata has no parent images)")
  boolean noPrune;
  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  List<String> images;

  RmiCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    int code = ExitCodes.OK;
    PrintWriter out = session.out();
    for (String image : images) {
      try {
        print(session.images().remove(image, force), out, false);
      } catch (RuntimeException e) {
        out.flush();
        code = Cli.reportFailure(session.streams(), e);
      }
    }
    return code;
  }

  /** docker's lines: "Untagged: busybox:latest", "Deleted: sha256:…" (lower-case in prune output). */
  static void print(List<DeleteResult> results, PrintWriter out, boolean lowerCase) {
    for (DeleteResult r : results) {
      if (r.untagged() != null) out.println((lowerCase ? "untagged: " : "Untagged: ") + r.untagged());
      if (r.deleted() != null) out.println((lowerCase ? "deleted: " : "Deleted: ") + r.deleted());
    }
    out.flush();
  }
}
