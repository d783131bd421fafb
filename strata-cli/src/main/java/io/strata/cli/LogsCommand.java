package io.strata.cli;

import java.nio.charset.StandardCharsets;

/** {@code strata logs}: the container's output from its json log, stdout to stdout and stderr to stderr. */
final class LogsCommand extends CliCommand {
  LogsCommand(Session session) {
    super(session, "logs", "Fetch the logs of a container");
    flag("Follow log output", "-f", "--follow");
    positional("0", "1", "CONTAINER", "The container");
  }

  @Override
  public Integer call() {
    Streams s = session.streams();
    session.containers().logs(arg(0), isSet("--follow"), (stream, text) -> {
      try {
        var target = stream.equals("stderr") ? s.err() : s.out();
        target.write(text.getBytes(StandardCharsets.UTF_8));
        target.flush();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    return ExitCodes.OK;
  }
}
