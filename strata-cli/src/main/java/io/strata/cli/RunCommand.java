package io.strata.cli;

import io.strata.runtime.Attach;
import io.strata.runtime.Container;
import io.strata.runtime.Containers;
import io.strata.runtime.ExecFailure;

/**
 * {@code strata run}: create and start. In the foreground the container's output streams to ours
 * and its exit status is ours; with {@code -d} it runs under a monitor of its own and the ID is
 * printed. Failures of strata are 125, a command that cannot be found 127 or run 126 (Docker's).
 */
final class RunCommand extends CliCommand {
  RunCommand(Session session) {
    super(session, "run", "Create and run a new container from an image");
    ContainerFlags.register(this);
    flag("Run container in background and print container ID", "-d", "--detach");
    add(picocli.CommandLine.Model.OptionSpec.builder("--sig-proxy").type(boolean.class).arity("0..1").defaultValue("true")
        .description("Proxy received signals to the process (default true)").build());
  }

  @Override
  public Integer call() {
    if (isSet("--tty") && isSet("--interactive") && !isSet("--detach") && !session.streams().stdinIsTerminal()) {
      throw new ExecFailure(1, "the input device is not a TTY"); // Docker's words and status
    }
    try {
      ContainerFlags.pullIfNeeded(this, session);
      Containers containers = session.containers();
      Container c = containers.create(ContainerFlags.request(this, session.streams().env()));
      if (isSet("--detach")) {
        containers.start(c.id());
        session.out().println(c.id());
        return ExitCodes.OK;
      }
      session.out().flush();
      Streams s = session.streams();
      Attach attach = isSet("--tty") && !s.stdinIsTerminal() ? Attach.pty(null, s.out())
          : isSet("--tty") ? new Attach(null, null, null, true)
          : new Attach(isSet("--interactive") ? s.in() : null, s.out(), s.err(), false);
      if (attach.inheritTerminal() || !isSet("--sig-proxy")) return containers.runAttached(c, attach);
      try (SignalProxy proxy = new SignalProxy(containers, c.id())) { // on a terminal, its signals go through the pty
        return containers.runAttached(c, attach);
      }
    } catch (ExecFailure e) {
      throw e;
    } catch (ExitCodes.UsageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ExecFailure(ExecFailure.RUNTIME, ExitCodes.message(e));
    }
  }
}
