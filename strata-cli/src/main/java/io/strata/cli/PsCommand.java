package io.strata.cli;

import io.strata.runtime.Container;
import java.time.Duration;
import java.time.Instant;

/** {@code strata ps}: Docker's columns; running containers only unless {@code -a}. */
final class PsCommand extends CliCommand {
  PsCommand(Session session) {
    super(session, "ps", "List containers");
    flag("Show all containers (default shows just running)", "-a", "--all");
    flag("Only display container IDs", "-q", "--quiet");
    flag("Don't truncate output", "--no-trunc");
  }

  @Override
  public Integer call() {
    boolean all = isSet("--all");
    boolean noTrunc = isSet("--no-trunc");
    Instant now = Instant.now();
    Table table = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
    for (Container c : session.containers().list()) {
      if (!all && !c.isRunning()) continue;
      String id = noTrunc ? c.id() : c.shortId();
      if (isSet("--quiet")) {
        session.out().println(id);
        continue;
      }
      table.row(id, c.imageRef(), command(c, noTrunc), ago(c.created(), now), status(c, now), ports(c), c.name());
    }
    if (isSet("--quiet")) return ExitCodes.OK;
    table.print(session.out());
    return ExitCodes.OK;
  }

  /** Docker's PORTS column: {@code 127.0.0.1:8080->80/tcp}, joined by ", ". */
  private String ports(Container c) {
    if (!c.isRunning()) return "";
    return session.containers().networks().ports(c.id()).stream()
        .map(p -> (p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp()) + ":" + p.hostPort() + "->" + p.containerPort() + "/" + p.protocol())
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Docker's COMMAND column: truncated to 20 characters with an ellipsis, then quoted as Go's %q. */
  private static String command(Container c, boolean noTrunc) {
    String cmd = String.join(" ", c.spec().args());
    if (!noTrunc && cmd.length() > 20) cmd = cmd.substring(0, 19) + "…";
    return "\"" + cmd.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String status(Container c, Instant now) {
    return switch (c.state()) {
      case CREATED -> "Created";
      case RUNNING -> "Up " + HumanUnits.humanDuration(Duration.between(started(c), now)) + health(c);
      case PAUSED -> "Up " + HumanUnits.humanDuration(Duration.between(started(c), now)) + " (Paused)";
      case RESTARTING -> "Restarting (" + c.exitCode() + ") " + HumanUnits.humanDuration(Duration.between(
          c.finishedAt() == null ? c.created() : c.finishedAt(), now)) + " ago";
      case EXITED -> "Exited (" + c.exitCode() + ") " + HumanUnits.humanDuration(Duration.between(
          c.finishedAt() == null ? c.created() : c.finishedAt(), now)) + " ago";
    };
  }

  /** Docker's suffix: {@code (healthy)}, {@code (unhealthy)}, {@code (health: starting)}. */
  private static String health(Container c) {
    if (c.health() == null) return "";
    return c.health().status().equals("starting") ? " (health: starting)" : " (" + c.health().status() + ")";
  }

  private static String ago(Instant then, Instant now) {
    return HumanUnits.humanDuration(Duration.between(then, now)) + " ago";
  }

  private static Instant started(Container c) {
    return c.startedAt() == null ? c.created() : c.startedAt();
  }

}
