package io.strata.cli;

import io.strata.cli.template.Row;
import io.strata.runtime.Container;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code strata ps}: Docker's columns; running containers only unless {@code -a}; {@code --filter},
 * {@code --format}, {@code -n}/{@code -l} (the last created), {@code -s} (sizes).
 */
final class PsCommand extends CliCommand {
  static final String TABLE = "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}";
  static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"),
      Map.entry("Command", "COMMAND"), Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"),
      Map.entry("Ports", "PORTS"), Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"),
      Map.entry("Names", "NAMES"), Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"), Map.entry("Networks", "NETWORKS"),
      Map.entry("LocalVolumes", "LOCAL VOLUMES"));

  PsCommand(Session session) {
    super(session, "ps", "List containers");
    flag("Show all containers (default shows just running)", "-a", "--all");
    flag("Only display container IDs", "-q", "--quiet");
    flag("Don't truncate output", "--no-trunc");
    repeatable("FILTER", "Filter output based on conditions provided (status, name, label, ancestor, exited, id, before, "
        + "since, network, volume, health)", "-f", "--filter");
    option("FORMAT", "Format output: 'table', 'json' or a template", "--format");
    option("N", "Show n last created containers (includes all states)", "-n", "--last");
    flag("Show the latest created container (includes all states)", "-l", "--latest");
    flag("Display total file sizes", "-s", "--size");
  }

  @Override
  public Integer call() {
    int last = isSet("--latest") ? 1 : value("--last") == null ? -1 : lastCount(value("--last"));
    boolean all = isSet("--all") || last > 0;
    boolean noTrunc = isSet("--no-trunc");
    Instant now = Instant.now();
    ContainerFilter filter = new ContainerFilter(session, values("--filter"));
    List<Container> listed = new ArrayList<>();
    for (Container c : session.containers().list()) { // newest first
      if (last > 0 && listed.size() >= last) break;
      if (!all && !c.isRunning() && !filter.namesStatus()) continue;
      if (!filter.test(c)) continue;
      listed.add(c);
    }
    List<Row> rows = new ArrayList<>();
    for (Container c : listed) rows.add(Row.of("*formatter.ContainerContext", fields(c, noTrunc, now)).withLabels(c.spec().labels()));
    String format = isSet("--quiet") ? "{{.ID}}" : value("--format");
    String table = isSet("--size") ? TABLE + "\\t{{.Size}}" : TABLE;
    new OutputFormat(format).printRows(rows, table, HEADERS, session.out());
    return ExitCodes.OK;
  }

  private static int lastCount(String v) {
    if (!v.matches("-?\\d{1,9}")) {
      throw new ExitCodes.UsageException("invalid argument \"" + v + "\" for \"-n, --last\" flag: strconv.ParseInt: parsing \""
          + v + "\": invalid syntax");
    }
    return Integer.parseInt(v);
  }

  private Map<String, String> fields(Container c, boolean noTrunc, Instant now) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("ID", noTrunc ? c.id() : c.shortId());
    f.put("Image", c.imageRef());
    f.put("Command", command(c, noTrunc));
    f.put("CreatedAt", Display.goTime(c.created(), java.time.ZoneId.systemDefault()));
    f.put("RunningFor", ago(c.created(), now));
    f.put("Ports", ports(c));
    f.put("State", c.state().column());
    f.put("Status", status(c, now));
    f.put("Names", c.name());
    f.put("Labels", c.spec().labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    f.put("Mounts", c.spec().mounts().stream().map(m -> m.type() == io.strata.runtime.MountPoint.Type.VOLUME
        ? (noTrunc ? m.source() : Display.truncateId(m.source())) : m.source()).collect(Collectors.joining(",")));
    f.put("Networks", session.containers().networks().endpoints(c.id()).stream().map(e -> e.network())
        .collect(Collectors.joining(",")));
    f.put("LocalVolumes", Long.toString(c.spec().mounts().stream().filter(m -> m.type() == io.strata.runtime.MountPoint.Type.VOLUME).count()));
    if (isSet("--size")) f.put("Size", size(c));
    return f;
  }

  /** Docker's SIZE: the writable layer's bytes, and with the image's, the virtual size. */
  private String size(Container c) {
    long rw = session.containers().writableSize(c.id());
    long image;
    try {
      image = session.images().resolve(c.imageId().toString()).size();
    } catch (io.strata.errdefs.NotFoundException gone) {
      image = 0;
    }
    return HumanUnits.humanSize(rw) + " (virtual " + HumanUnits.humanSize(rw + image) + ")";
  }

  /** Docker's PORTS column: {@code 127.0.0.1:8080->80/tcp}, joined by ", ". */
  private String ports(Container c) {
    if (!c.isRunning()) return "";
    return session.containers().networks().ports(c.id()).stream()
        .map(p -> (p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp()) + ":" + p.hostPort() + "->" + p.containerPort() + "/" + p.protocol())
        .collect(Collectors.joining(", "));
  }

  /**
   * Docker's COMMAND column: the daemon joins the arguments, quoting those with a space in
   * {@code '…'}; the CLI cuts it to 20 characters with an ellipsis and quotes it as Go's %q.
   */
  private static String command(Container c, boolean noTrunc) {
    List<String> args = c.spec().args();
    StringBuilder b = new StringBuilder(args.isEmpty() ? "" : args.getFirst());
    for (String a : args.subList(Math.min(1, args.size()), args.size())) b.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
    String cmd = b.toString();
    if (!noTrunc && cmd.codePointCount(0, cmd.length()) > 20) cmd = cmd.substring(0, cmd.offsetByCodePoints(0, 19)) + "…";
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
