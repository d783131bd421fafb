package io.strata.cli;

import io.strata.errdefs.NotFoundException;
import io.strata.runtime.Container;
import io.strata.runtime.Containers;
import io.strata.runtime.StatsSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code strata stats}: Docker's live table of containers' CPU, memory, network, block I/O and
 * process counts, read from their cgroups. Each table takes two readings a second apart (the CPU
 * percentage is the container's share of the host's CPU time between them, times the CPUs, as
 * Docker computes it). {@code --no-stream} prints one table; otherwise a new one follows every
 * second (on a terminal in place of the last) until interrupted, or, when containers are named,
 * until none of them runs any more.
 */
final class StatsCommand extends CliCommand {
  static final String TABLE = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
  static final Map<String, String> HEADERS = headers();
  private static final long INTERVAL_MS = 1000;

  StatsCommand(Session session) {
    super(session, "stats", "Display a live stream of container(s) resource usage statistics");
    flag("Show all containers (default shows just running)", "-a", "--all");
    flag("Disable streaming stats and only pull the first result", "--no-stream");
    flag("Do not truncate output", "--no-trunc");
    option("string", "Format output using a custom template: 'table', 'table TEMPLATE', 'json' or a Go template",
        "--format");
    positional("0..*", "0..*", "CONTAINER", "Containers to show (default: all running)");
  }

  private static Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Container", "CONTAINER");
    h.put("ID", "CONTAINER ID");
    h.put("Name", "NAME");
    h.put("CPUPerc", "CPU %");
    h.put("MemUsage", "MEM USAGE / LIMIT");
    h.put("MemPerc", "MEM %");
    h.put("NetIO", "NET I/O");
    h.put("BlockIO", "BLOCK I/O");
    h.put("PIDs", "PIDS");
    return h;
  }

  @Override
  public Integer call() throws InterruptedException {
    Containers containers = session.containers();
    OutputFormat format = new OutputFormat(value("--format"));
    List<String> named = named(containers);
    boolean stream = !isSet("--no-stream");
    boolean terminal = session.streams().stdoutIsTerminal();
    Map<String, StatsSample> previous = new HashMap<>();
    while (true) {
      List<Target> targets = targets(containers, named);
      for (Target t : targets) previous.computeIfAbsent(t.container().id(), id -> containers.stats(t.container()));
      Thread.sleep(INTERVAL_MS);
      List<Map<String, String>> rows = new ArrayList<>();
      Map<String, StatsSample> now = new HashMap<>();
      Map<String, Container> current = new HashMap<>();
      for (Container c : containers.list()) current.put(c.id(), c); // state and pid after the second
      for (Target t : targets) {
        Container c = current.getOrDefault(t.container().id(), t.container());
        StatsSample sample = containers.stats(c);
        now.put(c.id(), sample);
        rows.add(row(t.given(), c, previous.get(c.id()), sample));
      }
      previous = now;
      if (stream && terminal) session.out().print("\033[2J\033[H");
      format.print(rows, TABLE, HEADERS, session.out());
      if (!stream) return ExitCodes.OK;
      if (!named.isEmpty() && targets(containers, named).stream().noneMatch(t -> t.container().isRunning())) {
        return ExitCodes.OK;
      }
    }
  }

  /** The containers named, each checked first: Docker shows nothing when one of them does not exist. */
  private List<String> named(Containers containers) {
    List<String> errors = new ArrayList<>();
    for (String name : args(0)) {
      try {
        containers.get(name);
      } catch (NotFoundException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) throw new NotFoundException(String.join("\n", errors));
    return args(0);
  }

  /** A container shown, with how its row names it ({@code .Container}: as given, or the short ID). */
  private record Target(String given, Container container) {}

  private List<Target> targets(Containers containers, List<String> named) {
    List<Target> targets = new ArrayList<>();
    if (named.isEmpty()) {
      for (Container c : containers.list()) {
        if (isSet("--all") || c.isRunning()) targets.add(new Target(c.shortId(), c));
      }
      return targets;
    }
    for (String name : named) {
      Optional<Container> c = find(containers, name);
      c.ifPresent(container -> targets.add(new Target(name, container)));
    }
    return targets;
  }

  private static Optional<Container> find(Containers containers, String name) {
    try {
      return Optional.of(containers.get(name));
    } catch (NotFoundException removed) {
      return Optional.empty();
    }
  }

  /** Docker's stats formatter context: its computations (stats_helpers.go) and its printing (formatter/stats.go). */
  private Map<String, String> row(String given, Container c, StatsSample before, StatsSample now) {
    double memory = memoryUsage(now);
    Map<String, String> row = new LinkedHashMap<>();
    row.put("Container", given);
    row.put("ID", isSet("--no-trunc") ? c.id() : c.shortId());
    row.put("Name", c.name());
    row.put("CPUPerc", percent(cpuPercent(before == null ? now : before, now)));
    row.put("MemUsage", HumanUnits.bytesSize(memory) + " / " + HumanUnits.bytesSize(now.memoryLimit()));
    row.put("MemPerc", percent(now.memoryLimit() == 0 ? 0 : memory / now.memoryLimit() * 100));
    row.put("NetIO", HumanUnits.humanSize(now.netRx(), 3) + " / " + HumanUnits.humanSize(now.netTx(), 3));
    row.put("BlockIO", HumanUnits.humanSize(now.blockRead(), 3) + " / " + HumanUnits.humanSize(now.blockWrite(), 3));
    row.put("PIDs", Long.toString(now.pids()));
    return row;
  }

  /** Docker's {@code calculateCPUPercentUnix}: the container's CPU time over the host's, times the online CPUs. */
  static double cpuPercent(StatsSample before, StatsSample now) {
    double cpuDelta = (double) now.cpuNanos() - before.cpuNanos();
    double systemDelta = (double) now.systemNanos() - before.systemNanos();
    if (before == StatsSample.NONE || systemDelta <= 0 || cpuDelta <= 0) return 0;
    return cpuDelta / systemDelta * now.onlineCpus() * 100.0;
  }

  /** Docker's {@code calculateMemUsageUnixNoCache}: usage without the inactive file cache. */
  static double memoryUsage(StatsSample s) {
    return s.memoryInactiveFile() < s.memoryUsage() ? s.memoryUsage() - s.memoryInactiveFile() : s.memoryUsage();
  }

  /** Go's {@code %.2f%%}: the exact value rounded half to even. */
  static String percent(double v) {
    return new java.math.BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString() + "%";
  }
}
