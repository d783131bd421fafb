package io.strata.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for every command (docker has no per-command version flag, so no -V). */
final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print usage")
  boolean help;
}
