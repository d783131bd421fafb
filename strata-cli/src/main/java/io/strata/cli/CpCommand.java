package io.strata.cli;

import java.nio.file.Path;

/** {@code strata cp}: copies between a container ({@code CONTAINER:PATH}) and the host, either way. */
final class CpCommand extends CliCommand {
  CpCommand(Session session) {
    super(session, "cp", "Copy files/folders between a container and the local filesystem");
    positional("0", "1", "SRC", "CONTAINER:SRC_PATH or a host path");
    positional("1", "1", "DEST", "CONTAINER:DEST_PATH or a host path");
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
    if (srcColon >= 0) copies.copyOut(src.substring(0, srcColon), src.substring(srcColon + 1), Path.of(dest));
    else copies.copyIn(Path.of(src), dest.substring(0, destColon), dest.substring(destColon + 1));
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
