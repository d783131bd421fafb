package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.image.LoadResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code strata load}: a docker-archive or OCI layout tar (detected) from a file or STDIN. */
final class LoadCommand extends CliCommand {
  LoadCommand(Session session) {
    super(session, "load", "Load images from a tar archive (docker-archive or OCI layout) or STDIN");
    option("FILE", "Read from tar archive file, instead of STDIN", "-i", "--input");
    flag("Suppress the load output", "-q", "--quiet");
  }

  @Override
  public Integer call() throws IOException {
    Path input = value("--input") == null ? null : Path.of(value("--input"));
    if (input == null && session.streams().stdinIsTerminal()) {
      throw new InvalidArgumentException("requested load from stdin, but stdin is empty");
    }
    var service = session.images();
    LoadResult result;
    try (InputStream in = input == null
        ? new BufferedInputStream(session.streams().in(), 1 << 16)
        : new BufferedInputStream(Files.newInputStream(input), 1 << 16)) {
      result = service.load(in, (id, status, current, total) -> {});
    }
    PrintWriter out = session.out();
    for (String ref : result.loadedRefs()) out.println("Loaded image: " + ref);
    if (result.loadedRefs().isEmpty()) {
      for (var id : result.loadedIds()) out.println("Loaded image ID: " + id);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
