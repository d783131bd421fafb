package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.image.Image;
import io.strata.oci.Platform;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code strata import}: a root filesystem tar (plain, gzip or zstd) becomes a one-layer image;
 * {@code -c} applies Dockerfile instructions to its config as {@code docker import} does.
 * Prints the new image ID.
 */
final class ImportCommand extends CliCommand {
  ImportCommand(Session session) {
    super(session, "import", "Import the contents from a tarball to create a filesystem image");
    repeatable("CHANGE", "Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, EXPOSE, "
        + "LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR)", "-c", "--change");
    option("MSG", "Set commit message for imported image", "-m", "--message");
    option("OS/ARCH[/VARIANT]", "Set platform (default: this machine's)", "--platform");
    positional("0", "1", "FILE|-", "A root filesystem tar (plain, gzip or zstd); - reads STDIN");
    positional("1", "0..1", "[REPOSITORY[:TAG]]", "Name for the new image");
  }

  @Override
  public Integer call() throws IOException {
    String source = arg(0);
    String platform = value("--platform");
    if (source.contains("://")) {
      throw new InvalidArgumentException("import " + source + ": importing from a URL is not supported");
    }
    Platform target = platform == null ? Platform.current() : parsePlatform(platform);
    var service = session.images();
    Image image;
    try (InputStream in = new BufferedInputStream(
        source.equals("-") ? session.streams().in() : Files.newInputStream(Path.of(source)), 1 << 16)) {
      image = service.importTar(in, values("--change"), value("--message"), arg(1), target);
    }
    session.out().println(image.id());
    session.out().flush();
    return ExitCodes.OK;
  }

  static Platform parsePlatform(String s) {
    String[] parts = s.split("/");
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new ExitCodes.UsageException("invalid platform \"" + s + "\": want OS/ARCH[/VARIANT]");
    }
    return new Platform(parts[1], parts[0], null, null, parts.length == 3 ? parts[2] : null);
  }
}
