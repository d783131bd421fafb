package io.strata.cli;

/** {@code strata rm}: removes containers with their writable layers; {@code -f} kills a running one first. */
final class RmCommand extends CliCommand {
  RmCommand(Session session) {
    super(session, "rm", "Remove one or more containers");
    flag("Force the removal of a running container (uses SIGKILL)", "-f", "--force");
    flag("Remove anonymous volumes associated with the container", "-v", "--volumes");
    positional("0..*", "1..*", "CONTAINER", "Containers to remove");
  }

  @Override
  public Integer call() {
    return ContainerArgs.each(session, args(0), name -> {
      session.containers().remove(name, isSet("--force"), isSet("--volumes"));
      return name;
    });
  }
}
