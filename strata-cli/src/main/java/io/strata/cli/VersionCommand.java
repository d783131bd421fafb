package io.strata.cli;

import java.io.PrintWriter;

/** {@code strata version} and {@code strata --version}. */
final class VersionCommand extends CliCommand {
  VersionCommand(Session session) {
    super(session, "version", "Show the strata version information");
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public Integer call() {
    PrintWriter out = session.out();
    out.println("strata:");
    out.println(" Version:     " + version());
    out.println(" Java:        " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
    out.println(" OS/Arch:     " + System.getProperty("os.name").toLowerCase() + "/" + goArch());
    out.println(" Store:       " + session.root());
    out.flush();
    return ExitCodes.OK;
  }

  private static String goArch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }
}
