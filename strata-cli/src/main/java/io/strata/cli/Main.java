package io.strata.cli;

/** {@code strata}: a daemonless container image engine with docker's commands. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = Cli.run(Streams.system(), args);
    // Returning from main exits with 0; System.exit would first initialise the JDK's logging
    // (it logs Runtime.exit), some 20 ms of a 100 ms command.
    if (code != ExitCodes.OK) System.exit(code);
  }
}
