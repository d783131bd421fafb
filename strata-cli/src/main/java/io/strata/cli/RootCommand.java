package io.strata.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/** {@code strata}: the global flags; alone it prints the usage. */
final class RootCommand extends CliCommand {
  RootCommand(Session session) {
    super(session, "strata", "A daemonless container image engine with docker's image and container commands.");
    spec().version("strata version " + VersionCommand.version());
    spec().usageMessage().synopsisSubcommandLabel("COMMAND").footer("",
        "Run 'strata COMMAND --help' for more information on a command.");
    ISetter setRoot = new ISetter() {
      @Override
      public <T> T set(T value) {
        session.rootFlag(value == null ? null : Path.of(value.toString()));
        return null;
      }
    };
    add(OptionSpec.builder("--root").paramLabel("DIR").type(String.class).scopeType(ScopeType.INHERIT)
        .setter(setRoot)
        .description("Root directory of the store (default: $STRATA_ROOT, /var/lib/strata as root, "
            + "else $XDG_DATA_HOME/strata or ~/.local/share/strata)")
        .build());
    ISetter setDriver = new ISetter() {
      @Override
      public <T> T set(T value) {
        session.storageDriver(value == null ? null : value.toString());
        return null;
      }
    };
    add(OptionSpec.builder("--storage-driver").paramLabel("DRIVER").type(String.class).scopeType(ScopeType.INHERIT)
        .setter(setDriver)
        .description("Snapshotter for containers: overlay or native (default: $STRATA_STORAGE_DRIVER, else overlay "
            + "where the kernel has it)")
        .build());
    ISetter setInsecure = new ISetter() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T set(T value) {
        session.insecureRegistries(value == null ? java.util.List.of() : (java.util.List<String>) value);
        return null;
      }
    };
    add(OptionSpec.builder("--insecure-registry").paramLabel("HOST").type(java.util.List.class)
        .auxiliaryTypes(String.class).scopeType(ScopeType.INHERIT).setter(setInsecure)
        .description("A registry to reach over plain HTTP or unverified TLS (repeatable; also "
            + "insecure-registries in $STRATA_CONFIG, default /etc/strata/daemon.json; loopback always is)")
        .build());
    add(OptionSpec.builder("-v", "--version").versionHelp(true).description("Print version information and quit")
        .build());
  }

  @Override
  public Integer call() {
    spec().commandLine().usage(session.out());
    return ExitCodes.OK;
  }
}
