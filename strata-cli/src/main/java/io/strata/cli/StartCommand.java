package io.strata.cli;

/** {@code strata start}: starts stopped containers in the background; prints each name as given. */
final class StartCommand extends CliCommand {
  StartCommand(Session session) {
    super(session, "start", "Start one or more stopped containers");
    positional("0..*", "1..*", "CONTAINER", "Containers to start");
  }

  @Override
  public Integer call() {
    return ContainerArgs.each(session, args(0), name -> {
      session.containers().start(name);
      return name;
    });
  }
}
