package io.strata.cli;

import io.strata.snapshot.Change;

/** {@code strata diff}: the container's changes, Docker's {@code A}/{@code C}/{@code D} lines. */
final class DiffCommand extends CliCommand {
  DiffCommand(Session session) {
    super(session, "diff", "Inspect changes to files or directories on a container's filesystem");
    positional("0", "1", "CONTAINER", "The container");
  }

  @Override
  public Integer call() {
    for (Change c : session.containers().diff(arg(0))) session.out().println(c);
    return ExitCodes.OK;
  }
}
