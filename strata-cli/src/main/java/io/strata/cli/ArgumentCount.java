package io.strata.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;

/**
 * Docker's message for a wrong number of arguments (docker/cli {@code cli/required.go}), which
 * docker prints as is, without {@code Error:}, and exits with 1: the count the command's
 * positionals allow, the help hint, its usage line and its one-line description.
 */
final class ArgumentCount {
  private ArgumentCount() {}

  /** @param path the command as typed, {@code strata rmi} */
  static String message(CommandSpec spec, String path) {
    List<PositionalParamSpec> params = spec.positionalParameters();
    int min = 0;
    int max = 0;
    boolean unbounded = false;
    for (PositionalParamSpec p : params) {
      Range arity = p.arity();
      min += arity.min();
      if (arity.isVariable()) unbounded = true;
      else max += arity.max();
    }
    String count;
    if (!unbounded && max == 0) count = "accepts no arguments.";
    else if (unbounded) count = "requires at least " + min + " " + plural(min) + ".";
    else if (min == max) count = "requires exactly " + min + " " + plural(min) + ".";
    else if (min == 0) count = "requires at most " + max + " " + plural(max) + ".";
    else count = "requires at least " + min + " and at most " + max + " " + plural(max) + ".";
    String[] description = spec.usageMessage().description();
    return "\"" + path + "\" " + count + "\nSee '" + path + " --help'.\n\nUsage:  " + useLine(spec, path) + "\n\n"
        + (description.length == 0 ? "" : description[0]);
  }

  /** Docker's {@code Use} line: {@code strata rmi [OPTIONS] IMAGE [IMAGE...]}. */
  private static String useLine(CommandSpec spec, String path) {
    StringBuilder line = new StringBuilder(path);
    if (spec.options().size() > 1) line.append(" [OPTIONS]"); // -h/--help is always there
    for (PositionalParamSpec p : spec.positionalParameters()) {
      String label = p.paramLabel().replaceAll("^<(.*)>$", "$1");
      boolean many = p.arity().isVariable();
      if (p.arity().min() == 0) line.append(" [").append(label).append(many ? "...]" : "]");
      else line.append(" ").append(label).append(many ? " [" + label + "...]" : "");
    }
    return line.toString();
  }

  private static String plural(int n) {
    return n == 1 ? "argument" : "arguments";
  }
}
