package io.strata.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Runs strata's {@link CommandTree} and turns every outcome into an exit code through {@link ExitCodes}. */
public final class Cli {
  private Cli() {}

  /** Runs one invocation; never throws, never exits. */
  public static int run(Streams streams, String... args) {
    try (Session session = new Session(streams)) {
      return commandLine(session, args).execute(args);
    } catch (RuntimeException e) {
      return reportFailure(streams, e);
    }
  }

  static CommandLine commandLine(Session session, String... args) {
    CommandLine root = CommandTree.build(session, args);
    PrintWriter out = session.out();
    PrintWriter err = new PrintWriter(session.streams().err(), true);
    root.setOut(out);
    root.setErr(err);
    root.setPosixClusteredShortOptionsAllowed(true);
    root.setParameterExceptionHandler((ex, unused) -> usageError(ex, err));
    root.setExecutionExceptionHandler((ex, cl, parsed) -> {
      out.flush();
      if (ex instanceof ExitCodes.UsageException u) return usageError(cl, u.getMessage(), err);
      return reportFailure(session.streams(), ex);
    });
    return root;
  }

  /** Docker's form: {@code unknown flag: --foo} then {@code See 'docker images --help'.}, exit 125. */
  private static int usageError(ParameterException ex, PrintWriter err) {
    CommandLine cl = ex.getCommandLine();
    String message = ex.getMessage();
    if (isArgumentCount(ex)) {
      err.println(ArgumentCount.message(cl.getCommandSpec(), ("strata " + qualifiedName(cl)).strip()));
      return ExitCodes.ERROR;
    }
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().getFirst();
      if (!arg.startsWith("-")) { // a leaf's extra argument is an argument count
        err.println("strata: '" + arg + "' is not a strata command.");
        err.println("See 'strata " + qualifiedName(cl) + "--help'.");
        return ExitCodes.USAGE;
      }
      message = "unknown flag: " + arg;
    }
    if (ex.getArgSpec() instanceof OptionSpec o && ex.getValue() != null && o.type() == boolean.class) {
      message = "invalid argument \"" + ex.getValue() + "\" for \"" + String.join(", ", o.names()) + "\" flag: "
          + "strconv.ParseBool: parsing \"" + ex.getValue() + "\": invalid syntax"; // pflag's words for a bool flag
    }
    return usageError(cl, message, err);
  }

  /** Too few arguments, or one too many for a command without subcommands: Docker's cobra Args check. */
  private static boolean isArgumentCount(ParameterException ex) {
    if (ex instanceof MissingParameterException m) {
      return m.getMissing().stream().allMatch(a -> a instanceof PositionalParamSpec);
    }
    return ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().getFirst().startsWith("-") && ex.getCommandLine().getSubcommands().isEmpty();
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
