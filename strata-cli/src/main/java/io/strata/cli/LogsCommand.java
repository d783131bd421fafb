package io.strata.cli;

import io.strata.runtime.Containers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** {@code strata logs}: the container's output from its json log, stdout to stdout and stderr to stderr. */
final class LogsCommand extends CliCommand {
  LogsCommand(Session session) {
    super(session, "logs", "Fetch the logs of a container");
    flag("Follow log output", "-f", "--follow");
    option("N", "Number of lines to show from the end of the logs (default \"all\")", "-n", "--tail");
    flag("Show timestamps", "-t", "--timestamps");
    option("TIME", "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)", "--since");
    option("TIME", "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)", "--until");
    flag("Show extra details provided to logs", "--details");
    positional("0", "1", "CONTAINER", "The container");
  }

  @Override
  public Integer call() {
    Instant now = Instant.now();
    String tail = value("--tail") == null ? "all" : value("--tail");
    int lines;
    if (tail.equals("all")) {
      lines = -1;
    } else if (tail.matches("-?\\d{1,9}")) {
      lines = Integer.parseInt(tail) < 0 ? -1 : Integer.parseInt(tail); // Docker reads a negative --tail as all
    } else {
      throw new ExitCodes.UsageException("invalid value for \"tail\": strconv.Atoi: parsing \"" + tail + "\": invalid syntax");
    }
    Containers.LogOptions options = new Containers.LogOptions(isSet("--follow"), lines,
        Timestamps.parse(value("--since"), now, "since"), Timestamps.parse(value("--until"), now, "until"));
    Streams s = session.streams();
    boolean timestamps = isSet("--timestamps");
    session.containers().logs(arg(0), options, (stream, text, time) -> {
      try {
        var target = stream.equals("stderr") ? s.err() : s.out();
        String line = timestamps ? DateTimeFormatter.ISO_INSTANT.format(time) + " " + text : text;
        target.write(line.getBytes(StandardCharsets.UTF_8));
        target.flush();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    return ExitCodes.OK;
  }
}
