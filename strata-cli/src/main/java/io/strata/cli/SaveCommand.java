package io.strata.cli;

import io.strata.image.SaveFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata save}: images as a docker-archive (default) or OCI image layout tar. */
@Command(name = "save", 
    description = "Save one or more images to a tar archive (streamed to STDOUT by default)")
final class SaveCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  private final Session session;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to a file, instead of STDOUT")
  Path output;
  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "docker",
      description = "Archive format: docker (docker-archive, default) or oci (OCI image layout)")
  String format;
  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  List<String> images;

  SaveCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws IOException {
    SaveFormat saveFormat = switch (format.toLowerCase()) {
      case "docker", "docker-archive" -> SaveFormat.DOCKER;
      case "oci", "oci-archive" -> SaveFormat.OCI;
      default -> throw new ExitCodes.UsageException("invalid --format \"" + format + "\": want docker or oci");
    };
    var service = session.images();
    for (String image : images) service.resolve(image); // fail before creating any output
    ArchiveOutput.write(session, output, out -> service.save(images, saveFormat, out));
    return ExitCodes.OK;
  }
}
