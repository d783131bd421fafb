package io.strata.cli;

/** {@code strata wait}: blocks until containers stop, printing each exit status. */
final class WaitCommand extends CliCommand {
  WaitCommand(Session session) {
    super(session, "wait", "Block until one or more containers stop, then print their exit codes");
    positional("0..*", "1..*", "CONTAINER", "Containers to wait for");
  }

  @Override
  public Integer call() {
    return ContainerArgs.each(session, args(0), name -> Integer.toString(session.containers().await(name)));
  }
}
