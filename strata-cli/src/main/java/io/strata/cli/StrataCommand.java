package io.strata.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(name = "strata", versionProvider = VersionCommand.Provider.class,
    description = "A daemonless container image engine with docker's image commands.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {"", "Store: --root DIR, else $STRATA_ROOT, else /var/lib/strata (root) or $XDG_DATA_HOME/strata.",
        "Run 'strata COMMAND --help' for more information on a command."})
final class StrataCommand implements Callable<Integer> {
  private final Session session;
  @Spec CommandSpec spec;
  @Mixin HelpOption help;
  @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print version information and quit")
  boolean version;

  StrataCommand(Session session) {
    this.session = session;
  }

  @Option(names = "--root", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Root directory of the store (default: $STRATA_ROOT, /var/lib/strata as root, else $XDG_DATA_HOME/strata)")
  void root(Path root) {
    session.rootFlag(root);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(session.out());
    return ExitCodes.OK;
  }
}
