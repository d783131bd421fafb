package io.strata.cli;

/** {@code strata}: a daemonless container image engine with docker's commands. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(Streams.system(), args));
  }
}
