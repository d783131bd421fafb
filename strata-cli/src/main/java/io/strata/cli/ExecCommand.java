package io.strata.cli;

import io.strata.runtime.Attach;
import io.strata.runtime.Containers;

/** {@code strata exec}: a further process in a running container; its exit status is ours. */
final class ExecCommand extends CliCommand {
  ExecCommand(Session session) {
    super(session, "exec", "Execute a command in a running container");
    flag("Keep STDIN open", "-i", "--interactive");
    flag("Allocate a pseudo-TTY", "-t", "--tty");
    option("USER", "Username or UID (format: <name|uid>[:<group|gid>])", "-u", "--user");
    option("DIR", "Working directory inside the container", "-w", "--workdir");
    repeatable("KEY=VALUE", "Set environment variables", "-e", "--env");
    repeatable("FILE", "Read in a file of environment variables", "--env-file");
    flag("Detached mode: run command in the background", "-d", "--detach");
    positional("0", "1", "CONTAINER", "The container");
    positional("1..*", "1..*", "COMMAND", "Command and arguments");
    spec().parser().stopAtPositional(true);
  }

  @Override
  public Integer call() {
    session.out().flush();
    Streams io = session.streams();
    boolean tty = isSet("--tty");
    Attach attach = new Attach(isSet("--interactive") ? io.in() : null, io.out(), io.err(), tty);
    java.util.List<String> env = ContainerFlags.environment(this, io.env());
    return session.containers().exec(arg(0), args(1),
        new Containers.ExecOptions(tty, value("--user"), value("--workdir"), env, isSet("--detach")), attach);
  }
}
