package io.strata.cli;

import java.util.List;
import java.util.function.Function;

/** Docker's way with several containers: each is tried, a failure is reported and the exit code is 1. */
final class ContainerArgs {
  private ContainerArgs() {}

  /** Applies {@code action} to each name, printing what it returns (null: nothing). */
  static int each(Session session, List<String> names, Function<String, String> action) {
    int code = ExitCodes.OK;
    for (String name : names) {
      try {
        String line = action.apply(name);
        if (line != null) session.out().println(line);
        session.out().flush();
      } catch (RuntimeException e) {
        session.out().flush();
        Cli.reportFailure(session.streams(), e);
        code = ExitCodes.ERROR;
      }
    }
    return code;
  }

  static long seconds(String value) {
    try {
      long s = Long.parseLong(value);
      if (s < 0) throw new NumberFormatException();
      return s;
    } catch (NumberFormatException e) {
      throw new ExitCodes.UsageException("invalid argument \"" + value + "\" for \"-t, --time\" flag: not a number of seconds");
    }
  }
}
