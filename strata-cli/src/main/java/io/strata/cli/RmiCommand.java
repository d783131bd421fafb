package io.strata.cli;

import io.strata.image.DeleteResult;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code strata rmi} / {@code image rm}: untags, and deletes an image once nothing names or uses
 * it. Like docker, every argument is tried; a failure is reported and the exit code is 1.
 */
final class RmiCommand extends CliCommand {
  RmiCommand(Session session) {
    super(session, "rmi", "Remove one or more images");
    flag("Force removal of the image", "-f", "--force");
    flag("Accepted for docker compatibility (strata has no parent images)", "--no-prune");
    positional("0..*", "1..*", "IMAGE", "Images to remove");
  }

  @Override
  public Integer call() {
    int code = ExitCodes.OK;
    PrintWriter out = session.out();
    for (String image : args(0)) {
      try {
        print(session.images().remove(image, isSet("--force")), out, false);
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
