package io.strata.cli;

import io.strata.runtime.UpdateRequest;
import java.util.List;

/**
 * {@code strata update}: new cgroup limits ({@code -m}, {@code --memory-swap}, {@code --cpus},
 * {@code -c}, {@code --pids-limit}) and restart policy for containers, applied at once to running
 * ones; prints each container as given, as Docker does.
 */
final class UpdateCommand extends CliCommand {
  private static final List<String> FLAGS = List.of("--memory", "--memory-swap", "--cpus", "--cpu-shares", "--pids-limit",
      "--restart");

  UpdateCommand(Session session) {
    super(session, "update", "Update configuration of one or more containers");
    ContainerFlags.registerResourceFlags(this);
    option("POLICY", "Restart policy to apply when a container exits", "--restart");
    positional("0..*", "1..*", "CONTAINER", "Containers to update");
  }

  @Override
  public Integer call() {
    if (FLAGS.stream().allMatch(f -> value(f) == null)) {
      throw new io.strata.errdefs.InvalidArgumentException("you must provide one or more flags when using this command");
    }
    UpdateRequest request = new UpdateRequest(ContainerFlags.resources(this), value("--restart"));
    return ContainerArgs.each(session, args(0), name -> {
      session.containers().control().update(name, request);
      return name;
    });
  }
}
