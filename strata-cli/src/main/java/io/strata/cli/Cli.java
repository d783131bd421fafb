package io.strata.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Wires strata's command tree (docker's names: {@code images} and {@code image ls}, {@code rmi}
 * and {@code image rm}, …) and turns every outcome into an exit code through {@link ExitCodes}.
 */
public final class Cli {
  private Cli() {}

  /** Runs one invocation; never throws, never exits. */
  public static int run(Streams streams, String... args) {
    try (Session session = new Session(streams)) {
      return commandLine(session).execute(args);
    } catch (RuntimeException e) {
      return reportFailure(streams, e);
    }
  }

  static CommandLine commandLine(Session session) {
    CommandLine root = new CommandLine(new StrataCommand(session));
    root.addSubcommand("images", new ImagesCommand(session));
    root.addSubcommand("tag", new TagCommand(session));
    root.addSubcommand("rmi", new RmiCommand(session));
    root.addSubcommand("inspect", new InspectCommand(session));
    root.addSubcommand("history", new HistoryCommand(session));
    root.addSubcommand("import", new ImportCommand(session));
    root.addSubcommand("save", new SaveCommand(session));
    root.addSubcommand("load", new LoadCommand(session));
    root.addSubcommand("version", new VersionCommand(session));

    CommandLine image = group(session, "Manage images");
    image.addSubcommand("ls", new ImagesCommand(session), "list");
    image.addSubcommand("rm", new RmiCommand(session), "remove");
    image.addSubcommand("tag", new TagCommand(session));
    image.addSubcommand("prune", new PruneCommand(session));
    image.addSubcommand("inspect", new InspectCommand(session));
    image.addSubcommand("history", new HistoryCommand(session));
    image.addSubcommand("import", new ImportCommand(session));
    image.addSubcommand("save", new SaveCommand(session));
    image.addSubcommand("load", new LoadCommand(session));
    image.addSubcommand("export", new ExportCommand(session));
    root.addSubcommand("image", image);

    CommandLine system = group(session, "Manage strata");
    system.addSubcommand("df", new DiskUsageCommand(session));
    system.addSubcommand("fsck", new FsckCommand(session));
    system.addSubcommand("prune", new SystemPruneCommand(session));
    root.addSubcommand("system", system);

    PrintWriter out = session.out();
    PrintWriter err = new PrintWriter(session.streams().err(), true);
    root.setOut(out);
    root.setErr(err);
    root.setPosixClusteredShortOptionsAllowed(true);
    root.setParameterExceptionHandler((ex, args) -> usageError(ex, err));
    root.setExecutionExceptionHandler((ex, cl, parsed) -> {
      out.flush();
      if (ex instanceof ExitCodes.UsageException u) return usageError(cl, u.getMessage(), err);
      return reportFailure(session.streams(), ex);
    });
    return root;
  }

  private static CommandLine group(Session session, String description) {
    CommandLine group = new CommandLine(new GroupCommand(session));
    group.getCommandSpec().usageMessage().description(description);
    return group;
  }

  /** Docker's form: {@code unknown flag: --foo} then {@code See 'docker images --help'.}, exit 125. */
  private static int usageError(ParameterException ex, PrintWriter err) {
    CommandLine cl = ex.getCommandLine();
    String message = ex.getMessage();
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().getFirst();
      if (arg.startsWith("-")) {
        message = "unknown flag: " + arg;
      } else if (!cl.getSubcommands().isEmpty()) {
        err.println("strata: '" + arg + "' is not a strata command.");
        err.println("See 'strata " + qualifiedName(cl) + "--help'.");
        return ExitCodes.USAGE;
      } else {
        message = "unexpected argument: " + arg;
      }
    }
    return usageError(cl, message, err);
  }

  private static int usageError(CommandLine cl, String message, PrintWriter err) {
    err.println("strata: " + lowerFirst(message));
    err.println("See 'strata " + qualifiedName(cl) + "--help'.");
    return ExitCodes.USAGE;
  }

  private static String qualifiedName(CommandLine cl) {
    String name = cl.getCommandSpec().qualifiedName(" ");
    int space = name.indexOf(' ');
    return space < 0 ? "" : name.substring(space + 1) + " ";
  }

  static int reportFailure(Streams streams, Throwable failure) {
    streams.err().println("Error: " + ExitCodes.message(failure));
    if (ExitCodes.isUnexpected(failure) || streams.env().containsKey("STRATA_DEBUG")) {
      failure.printStackTrace(streams.err());
    }
    streams.err().flush();
    return ExitCodes.of(failure);
  }

  private static String lowerFirst(String s) {
    if (s == null || s.isEmpty()) return "";
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
