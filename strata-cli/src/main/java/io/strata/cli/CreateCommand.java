package io.strata.cli;

/** {@code strata create}: a container from an image, not started; prints its ID. */
final class CreateCommand extends CliCommand {
  CreateCommand(Session session) {
    super(session, "create", "Create a new container");
    ContainerFlags.register(this);
  }

  @Override
  public Integer call() {
    ContainerFlags.pullIfNeeded(this, session);
    session.out().println(session.containers().create(ContainerFlags.request(this, session.streams().env())).id());
    return ExitCodes.OK;
  }
}
