package io.strata.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata image export}: the image's flattened root filesystem as one tar (all layers
 * applied, whiteouts resolved), like {@code docker export} of a fresh container of the image.
 */
@Command(name = "export", 
    description = "Export an image's flattened root filesystem as a tar archive (streamed to STDOUT by default)")
final class ExportCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  private final Session session;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to a file, instead of STDOUT")
  Path output;
  @Parameters(index = "0", paramLabel = "IMAGE")
  String image;

  ExportCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws IOException {
    var service = session.images();
    service.resolve(image);
    ArchiveOutput.write(session, output, out -> service.export(image, out));
    return ExitCodes.OK;
  }
}
