package io.strata.cli;

/** A command that only groups others ({@code image}, {@code system}): alone it prints its usage. */
final class GroupCommand extends CliCommand {
  GroupCommand(Session session, String name, String description) {
    super(session, name, description);
    spec().usageMessage().synopsisSubcommandLabel("COMMAND");
  }

  @Override
  public Integer call() {
    spec().commandLine().usage(session.out());
    return ExitCodes.OK;
  }
}
