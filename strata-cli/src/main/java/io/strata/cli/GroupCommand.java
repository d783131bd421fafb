package io.strata.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups others ({@code image}, {@code system}): alone it prints its usage. */
@Command(synopsisSubcommandLabel = "COMMAND")
final class GroupCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  private final Session session;
  @Spec CommandSpec spec;

  GroupCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(session.out());
    return ExitCodes.OK;
  }
}
