package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.image.Image;
import io.strata.oci.Platform;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata import}: a root filesystem tar (plain, gzip or zstd) becomes a one-layer image;
 * {@code -c} applies Dockerfile instructions to its config as {@code docker import} does.
 * Prints the new image ID.
 */
@Command(name = "import", 
    description = "Import the contents from a tarball to create a filesystem image")
final class ImportCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  private final Session session;

  @Option(names = {"-c", "--change"}, paramLabel = "CHANGE",
      description = "Apply Dockerfile instruction to the created image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, "
          + "ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR)")
  List<String> changes = new ArrayList<>();
  @Option(names = {"-m", "--message"}, paramLabel = "MSG", description = "Set commit message for imported image")
  String message;
  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Set platform (default: this machine's)")
  String platform;
  @Parameters(index = "0", paramLabel = "FILE|-")
  String source;
  @Parameters(index = "1", arity = "0..1", paramLabel = "[REPOSITORY[:TAG]]")
  String reference;

  ImportCommand(Session session) {
    this.session = session;
  }

  @Override
  public Integer call() throws IOException {
    if (source.contains("://")) {
      throw new InvalidArgumentException("import " + source + ": importing from a URL is not supported");
    }
    Platform target = platform == null ? Platform.current() : parsePlatform(platform);
    var service = session.images();
    Image image;
    try (InputStream in = new BufferedInputStream(
        source.equals("-") ? session.streams().in() : Files.newInputStream(Path.of(source)), 1 << 16)) {
      image = service.importTar(in, changes, message, reference, target);
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
