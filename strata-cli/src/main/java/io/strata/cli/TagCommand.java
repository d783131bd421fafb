package io.strata.cli;

/** {@code strata tag SOURCE TARGET}: a new name for an existing image. */
final class TagCommand extends CliCommand {
  TagCommand(Session session) {
    super(session, "tag", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE");
    positional("0", "1", "SOURCE_IMAGE[:TAG]", "The image to name");
    positional("1", "1", "TARGET_IMAGE[:TAG]", "The new name");
  }

  @Override
  public Integer call() {
    session.images().tag(arg(0), arg(1));
    return ExitCodes.OK;
  }
}
