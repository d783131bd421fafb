package io.strata.cli;

/** {@code strata kill}: sends a signal (SIGKILL by default). */
final class KillCommand extends CliCommand {
  KillCommand(Session session) {
    super(session, "kill", "Kill one or more running containers");
    option("SIGNAL", "Signal to send to the container (default KILL)", "-s", "--signal");
    positional("0..*", "1..*", "CONTAINER", "Containers to kill");
  }

  @Override
  public Integer call() {
    return ContainerArgs.each(session, args(0), name -> {
      session.containers().kill(name, value("--signal"));
      return name;
    });
  }
}
