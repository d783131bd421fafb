package io.strata.cli;

import java.time.Instant;

/**
 * {@code strata start}: starts stopped containers in the background and prints each name as given;
 * with {@code -a} one container's output streams to ours until it stops, and its status is ours.
 */
final class StartCommand extends CliCommand {
  StartCommand(Session session) {
    super(session, "start", "Start one or more stopped containers");
    flag("Attach STDOUT/STDERR and forward signals", "-a", "--attach");
    flag("Attach container's STDIN", "-i", "--interactive");
    positional("0..*", "1..*", "CONTAINER", "Containers to start");
  }

  @Override
  public Integer call() {
    if (!isSet("--attach")) {
      return ContainerArgs.each(session, args(0), name -> {
        session.containers().start(name);
        return name;
      });
    }
    if (args(0).size() > 1) throw new ExitCodes.UsageException("you cannot start and attach multiple containers at once");
    if (isSet("--interactive")) {
      throw new io.strata.errdefs.InvalidArgumentException("start -i: strata cannot attach standard input to a container it starts "
          + "in the background; use run -i");
    }
    Instant from = Instant.now();
    String id = session.containers().start(args(0).getFirst()).id();
    return AttachedOutput.follow(session, id, from, true);
  }
}
