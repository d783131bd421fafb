package io.strata.cli;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code strata image export}: the image's flattened root filesystem as one tar (all layers
 * applied, whiteouts resolved), like {@code docker export} of a fresh container of the image.
 */
final class ExportCommand extends CliCommand {
  ExportCommand(Session session) {
    super(session, "export", "Export an image's flattened root filesystem as a tar archive (streamed to STDOUT by default)");
    option("FILE", "Write to a file, instead of STDOUT", "-o", "--output");
    positional("0", "1", "IMAGE", "The image");
  }

  @Override
  public Integer call() throws IOException {
    String image = arg(0);
    Path output = value("--output") == null ? null : Path.of(value("--output"));
    var service = session.images();
    service.resolve(image);
    ArchiveOutput.write(session, output, out -> service.export(image, out));
    return ExitCodes.OK;
  }
}
