package io.strata.cli;

import java.time.Duration;

/** {@code strata stop}: the stop signal, then SIGKILL after the grace period. */
final class StopCommand extends CliCommand {
  StopCommand(Session session) {
    super(session, "stop", "Stop one or more running containers");
    option("SECONDS", "Seconds to wait before killing the container (default 10)", "-t", "--time");
    positional("0..*", "1..*", "CONTAINER", "Containers to stop");
  }

  @Override
  public Integer call() {
    // without -t, the container's --stop-timeout (else 10 s)
    Duration grace = value("--time") == null ? null : Duration.ofSeconds(ContainerArgs.seconds(value("--time")));
    return ContainerArgs.each(session, args(0), name -> {
      session.containers().stop(name, grace);
      return name;
    });
  }
}
