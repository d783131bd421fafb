package io.strata.cli;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.runtime.Container;
import io.strata.runtime.ContainerState;
import java.time.Instant;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code strata attach}: a running container's output from now on, until it stops; its exit status
 * is ours, and with {@code --sig-proxy} (the default) the signals we get go to it. Output only: a
 * container started in the background has its monitor as its only parent, which keeps no standard
 * input open for it, so {@code -i} containers get no input through attach (a notice says so).
 */
final class AttachCommand extends CliCommand {
  AttachCommand(Session session) {
    super(session, "attach", "Attach local standard input, output, and error streams to a running container");
    flag("Do not attach STDIN", "--no-stdin");
    add(OptionSpec.builder("--sig-proxy").type(boolean.class).arity("0..1").defaultValue("true")
        .description("Proxy all received signals to the process (default true)").build());
    positional("0", "1", "CONTAINER", "The container");
  }

  @Override
  public Integer call() {
    Instant from = Instant.now(); // before the state is read: nothing written after it is missed
    Container c = session.containers().get(arg(0));
    if (c.state() == ContainerState.PAUSED) {
      throw new FailedPreconditionException("You cannot attach to a paused container, unpause it first");
    }
    if (!c.isRunning()) throw new FailedPreconditionException("You cannot attach to a stopped container, start it first");
    if (c.spec().openStdin() && !isSet("--no-stdin")) {
      session.streams().err().println("strata: attach: " + c.name() + "'s standard input cannot be attached "
          + "(its monitor keeps none open); attaching its output only");
    }
    return AttachedOutput.follow(session, c.id(), from, isSet("--sig-proxy"));
  }
}
