package io.strata.cli;

import java.io.IOException;
import java.nio.file.Path;

/** {@code strata export}: a container's merged filesystem as a tar, to {@code -o FILE} or stdout. */
final class ContainerExportCommand extends CliCommand {
  ContainerExportCommand(Session session) {
    super(session, "export", "Export a container's filesystem as a tar archive");
    option("FILE", "Write to a file, instead of STDOUT", "-o", "--output");
    positional("0", "1", "CONTAINER", "The container");
  }

  @Override
  public Integer call() throws IOException {
    Path output = value("--output") == null ? null : Path.of(value("--output"));
    ArchiveOutput.write(session, output, out -> session.containers().export(arg(0), out));
    return ExitCodes.OK;
  }
}
