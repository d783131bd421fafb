package io.strata.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.IVersionProvider;

/** {@code strata version} and {@code strata --version}. */
@Command(name = "version", description = "Show the strata version information")
final class VersionCommand implements Callable<Integer> {
  @Mixin HelpOption help;
  private final Session session;

  VersionCommand(Session session) {
    this.session = session;
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

  /** picocli's --version: docker's one-line form. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"strata version " + version()};
    }
  }
}
