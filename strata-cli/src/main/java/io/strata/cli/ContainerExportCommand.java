package io.strata.cli;

/** {@code strata export}: a container's merged filesystem as a tar, to {@code -o FILE} or stdout. */
final class ContainerExportCommand extends CliCommand {
  ContainerExportCommand(Session session) {
    super(session, "export", "Export a container's filesystem as a tar archive");
    option("FILE", "Write to a file, instead of STDOUT", "-o", "--output");
    positional("0", "1", "CONTAINER", "The container");
  }

  @Override
  public Integer call() throws java.io.IOException {
    String output = value("--output");
    ArchiveOutput.write(session, output == null ? null : java.nio.file.Path.of(output),
        out -> session.containers().export(arg(0), out));
    return ExitCodes.OK;
  }
}
