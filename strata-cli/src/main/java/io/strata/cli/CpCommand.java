package io.strata.cli;

import java.nio.file.Path;

/**
 * {@code strata cp}: copies between a container ({@code CONTAINER:PATH}) and the host, either way;
 * {@code -} for the host side is a tar stream on standard input or output, as Docker's.
 */
final class CpCommand extends CliCommand {
  CpCommand(Session session) {
    super(session, "cp", "Copy files/folders between a container and the local filesystem");
    flag("Always follow symbol link in SRC_PATH", "-L", "--follow-link");
    flag("Archive mode (copy all uid/gid information)", "-a", "--archive");
    positional("0", "1", "SRC", "CONTAINER:SRC_PATH, a host path, or - (a tar stream on standard input)");
    positional("1", "1", "DEST", "CONTAINER:DEST_PATH, a host path, or - (a tar stream on standard output)");
  }

  @Override
  public Integer call() {
    String src = arg(0);
    String dest = arg(1);
    int srcColon = containerColon(src);
    int destColon = containerColon(dest);
    if ((srcColon < 0) == (destColon < 0)) {
      throw new ExitCodes.UsageException("copying between containers or within the host is not supported: "
          + "exactly one of SRC and DEST must be CONTAINER:PATH");
    }
    var copies = session.containers().copies();
    String container = srcColon >= 0 ? src.substring(0, srcColon) : dest.substring(0, destColon);
    if (srcColon >= 0) {
      String path = src.substring(srcColon + 1);
      if (dest.equals("-")) {
        session.out().flush();
        copies.copyOutTar(container, path, session.streams().out(), isSet("--follow-link"));
        try {
          session.streams().out().flush();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      } else {
        copies.copyOut(container, path, Path.of(dest), isSet("--follow-link"));
      }
    } else if (src.equals("-")) {
      copies.copyInTar(session.streams().in(), container, dest.substring(destColon + 1),
          Path.of(System.getProperty("java.io.tmpdir")), isSet("--archive"));
    } else {
      copies.copyIn(Path.of(src), container, dest.substring(destColon + 1), isSet("--archive"));
    }
    return ExitCodes.OK;
  }

  /** Docker's rule: a colon before any slash names a container; a path starting with / or . is local. */
  private static int containerColon(String arg) {
    if (arg.startsWith("/") || arg.startsWith(".")) return -1;
    int colon = arg.indexOf(':');
    int slash = arg.indexOf('/');
    return colon > 0 && (slash < 0 || colon < slash) ? colon : -1;
  }
}
