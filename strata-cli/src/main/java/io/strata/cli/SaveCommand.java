package io.strata.cli;

import io.strata.image.SaveFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code strata save}: images as a docker-archive (default) or OCI image layout tar. */
final class SaveCommand extends CliCommand {
  SaveCommand(Session session) {
    super(session, "save", "Save one or more images to a tar archive (streamed to STDOUT by default)");
    option("FILE", "Write to a file, instead of STDOUT", "-o", "--output");
    option("FORMAT", "Archive format: docker (docker-archive, default) or oci (OCI image layout)", "--format");
    positional("0..*", "1..*", "IMAGE", "Images to save");
  }

  @Override
  public Integer call() throws IOException {
    String format = value("--format") == null ? "docker" : value("--format");
    List<String> images = args(0);
    Path output = value("--output") == null ? null : Path.of(value("--output"));
    SaveFormat saveFormat = switch (format.toLowerCase(java.util.Locale.ROOT)) {
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
