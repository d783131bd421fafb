package io.strata.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** {@code strata restart|pause|unpause|rename|top} and {@code container prune}: Docker's. */
final class LifecycleCommands {
  private LifecycleCommands() {}

  static final class Restart extends CliCommand {
    Restart(Session session) {
      super(session, "restart", "Restart one or more containers");
      option("SECONDS", "Seconds to wait before killing the container (default 10)", "-t", "--time");
      positional("0..*", "1..*", "CONTAINER", "Containers to restart");
    }

    @Override
    public Integer call() {
      // without -t, the container's --stop-timeout (else 10 s)
      Duration grace = value("--time") == null ? null : Duration.ofSeconds(ContainerArgs.seconds(value("--time")));
      return ContainerArgs.each(session, args(0), name -> {
        session.containers().control().restart(name, grace);
        return name;
      });
    }
  }

  static final class Pause extends CliCommand {
    Pause(Session session) {
      super(session, "pause", "Pause all processes within one or more containers");
      positional("0..*", "1..*", "CONTAINER", "Containers to pause");
    }

    @Override
    public Integer call() {
      return ContainerArgs.each(session, args(0), name -> {
        session.containers().control().pause(name);
        return name;
      });
    }
  }

  /**
   * {@code strata container restore}: strata's own, for the boot unit ({@code contrib/systemd}):
   * starts the containers a Docker daemon restarts when it starts, by their restart policies.
   */
  static final class Restore extends CliCommand {
    Restore(Session session) {
      super(session, "restore", "Start the containers whose restart policy restarts them after a reboot");
    }

    @Override
    public Integer call() {
      for (var c : session.containers().restore()) session.out().println(c.name());
      return 0;
    }
  }

  static final class Unpause extends CliCommand {
    Unpause(Session session) {
      super(session, "unpause", "Unpause all processes within one or more containers");
      positional("0..*", "1..*", "CONTAINER", "Containers to unpause");
    }

    @Override
    public Integer call() {
      return ContainerArgs.each(session, args(0), name -> {
        session.containers().control().unpause(name);
        return name;
      });
    }
  }

  static final class Rename extends CliCommand {
    Rename(Session session) {
      super(session, "rename", "Rename a container");
      positional("0", "1", "CONTAINER", "The container");
      positional("1", "1", "NEW_NAME", "Its new name");
    }

    @Override
    public Integer call() {
      session.containers().control().rename(arg(0), arg(1));
      return ExitCodes.OK;
    }
  }

  static final class Top extends CliCommand {
    Top(Session session) {
      super(session, "top", "Display the running processes of a container");
      positional("0", "1", "CONTAINER", "The container");
      positional("1..*", "0..*", "ps OPTIONS", "Options for ps (default -ef)");
      spec().parser().stopAtPositional(true);
    }

    @Override
    public Integer call() {
      List<String> lines = session.containers().control().top(arg(0), args(1));
      String[] header = lines.getFirst().trim().split("\\s+");
      Table t = new Table(header);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+", header.length);
        t.row(f);
      }
      t.print(session.out());
      return ExitCodes.OK;
    }
  }

  static final class Prune extends CliCommand {
    Prune(Session session) {
      super(session, "prune", "Remove all stopped containers");
      flag("Do not prompt for confirmation", "-f", "--force");
    }

    @Override
    public Integer call() throws IOException {
      if (!isSet("--force") && !PruneCommand.confirm(session, "WARNING! This will remove all stopped containers.")) {
        return ExitCodes.OK;
      }
      List<String> gone = session.containers().control().prune();
      if (!gone.isEmpty()) {
        session.out().println("Deleted Containers:");
        gone.forEach(session.out()::println);
        session.out().println();
      }
      session.out().println("Total reclaimed space: 0B");
      return ExitCodes.OK;
    }
  }
}
