package io.strata.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.errdefs.StrataException;
import io.strata.oci.Json;
import io.strata.runtime.volume.Volume;
import io.strata.runtime.volume.Volumes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code strata volume create|ls|inspect|rm|prune}: Docker's, on the local driver. */
final class VolumeCommands {
  static final String TABLE = "table {{.Driver}}\\t{{.Name}}";
  static final Map<String, String> HEADERS = Map.of("Driver", "DRIVER", "Name", "VOLUME NAME", "Mountpoint", "MOUNTPOINT",
      "Scope", "SCOPE", "Labels", "LABELS", "Links", "LINKS", "Size", "SIZE");

  private VolumeCommands() {}

  /** {@code KEY=VALUE} flags as a map ({@code KEY} alone: an empty value). */
  static Map<String, String> pairs(List<String> values) {
    Map<String, String> out = new TreeMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      out.put(eq < 0 ? v : v.substring(0, eq), eq < 0 ? "" : v.substring(eq + 1));
    }
    return out;
  }

  static final class Create extends CliCommand {
    Create(Session session) {
      super(session, "create", "Create a volume");
      option("DRIVER", "Specify volume driver name (local)", "-d", "--driver");
      repeatable("KEY=VALUE", "Set driver specific options (type, device, o)", "-o", "--opt");
      repeatable("KEY=VALUE", "Set metadata for a volume", "--label");
      positional("0", "0..1", "VOLUME", "The volume's name (random when left out)");
    }

    @Override
    public Integer call() {
      Volume v = session.containers().volumes().create(arg(0), value("--driver"), pairs(values("--opt")), pairs(values("--label")));
      session.out().println(v.name());
      return ExitCodes.OK;
    }
  }

  static final class Ls extends CliCommand {
    Ls(Session session) {
      super(session, "ls", "List volumes");
      flag("Only display volume names", "-q", "--quiet");
      repeatable("FILTER", "Provide filter values (dangling=true|false, name=…, label=KEY[=VALUE], driver=local)", "-f", "--filter");
      option("FORMAT", "Format output: 'table', 'json' or a template", "--format");
    }

    @Override
    public Integer call() {
      Volumes volumes = session.containers().volumes();
      List<Map<String, String>> rows = new ArrayList<>();
      for (Volume v : volumes.list()) {
        if (!matches(v, volumes)) continue;
        Map<String, String> row = new LinkedHashMap<>();
        row.put("Driver", v.driver());
        row.put("Labels", String.join(",", v.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        row.put("Links", "N/A");
        row.put("Mountpoint", v.mountpoint().toString());
        row.put("Name", v.name());
        row.put("Scope", "local");
        row.put("Size", "N/A");
        rows.add(row);
      }
      new OutputFormat(isSet("--quiet") ? "{{.Name}}" : value("--format")).print(rows, TABLE, HEADERS, session.out());
      return ExitCodes.OK;
    }

    private boolean matches(Volume v, Volumes volumes) {
      for (String f : values("--filter")) {
        int eq = f.indexOf('=');
        if (eq <= 0) throw new ExitCodes.UsageException("bad format of filter (expected name=value): " + f);
        String key = f.substring(0, eq);
        String value = f.substring(eq + 1);
        boolean ok = switch (key) {
          case "dangling" -> {
            if (!List.of("true", "false", "1", "0").contains(value)) {
              throw new ExitCodes.UsageException("invalid filter 'dangling=" + value + "'");
            }
            yield volumes.users(v.name()).isEmpty() == (value.equals("true") || value.equals("1"));
          }
          case "name" -> v.name().contains(value);
          case "driver" -> v.driver().equals(value);
          case "label" -> {
            int e = value.indexOf('=');
            yield e < 0 ? v.labels().containsKey(value) : value.substring(e + 1).equals(v.labels().get(value.substring(0, e)));
          }
          default -> throw new ExitCodes.UsageException("invalid filter '" + key + "'");
        };
        if (!ok) return false;
      }
      return true;
    }
  }

  static final class Inspect extends CliCommand {
    Inspect(Session session) {
      super(session, "inspect", "Display detailed information on one or more volumes");
      option("TEMPLATE", "Format the output using the given Go template", "-f", "--format");
      positional("0..*", "1..*", "VOLUME", "Volumes");
    }

    @Override
    public Integer call() throws IOException {
      ArrayNode all = Json.mapper().createArrayNode();
      for (String name : args(0)) {
        Volume v = session.containers().volumes().get(name);
        ObjectNode o = all.addObject().put("CreatedAt", Display.rfc3339(v.created(), java.time.ZoneId.systemDefault())).put("Driver", v.driver());
        ObjectNode labels = o.putObject("Labels");
        v.labels().forEach(labels::put);
        o.put("Mountpoint", v.mountpoint().toString()).put("Name", v.name());
        ObjectNode options = o.putObject("Options");
        v.options().forEach(options::put);
        o.put("Scope", "local");
      }
      if (value("--format") != null) {
        for (var node : all) session.out().println(InspectTemplate.expand(value("--format"), node));
      } else {
        session.out().println(InspectCommand.pretty(all));
      }
      return ExitCodes.OK;
    }
  }

  static final class Rm extends CliCommand {
    Rm(Session session) {
      super(session, "rm", "Remove one or more volumes");
      flag("Do not fail when a volume does not exist", "-f", "--force");
      positional("0..*", "1..*", "VOLUME", "Volumes");
    }

    @Override
    public Integer call() {
      int rc = ExitCodes.OK;
      for (String n : args(0)) {
        try {
          session.containers().volumes().remove(n, isSet("--force"));
          session.out().println(n);
        } catch (StrataException e) {
          session.streams().err().println("Error: " + e.getMessage());
          rc = ExitCodes.ERROR;
        }
      }
      return rc;
    }
  }

  static final class Prune extends CliCommand {
    Prune(Session session) {
      super(session, "prune", "Remove unused local volumes");
      flag("Remove all unused volumes, not just anonymous ones", "-a", "--all");
      repeatable("FILTER", "Provide filter values (label=KEY[=VALUE])", "--filter");
      flag("Do not prompt for confirmation", "-f", "--force");
    }

    @Override
    public Integer call() throws IOException {
      boolean all = isSet("--all");
      String warning = all ? "WARNING! This will remove all local volumes not used by at least one container."
          : "WARNING! This will remove anonymous local volumes not used by at least one container.";
      if (!isSet("--force") && !PruneCommand.confirm(session, warning)) return ExitCodes.OK;
      print(prune(session, all, values("--filter")), session);
      return ExitCodes.OK;
    }

    static Volumes.Pruned prune(Session session, boolean all, List<String> filters) {
      Map<String, String> labels = new TreeMap<>();
      for (String f : filters) {
        if (!f.startsWith("label=")) throw new ExitCodes.UsageException("invalid filter '" + f.replaceFirst("=.*", "") + "'");
        String l = f.substring("label=".length());
        int eq = l.indexOf('=');
        labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? null : l.substring(eq + 1));
      }
      return session.containers().volumes().prune(all, labels);
    }

    static void print(Volumes.Pruned pruned, Session session) {
      if (!pruned.names().isEmpty()) {
        session.out().println("Deleted Volumes:");
        pruned.names().forEach(session.out()::println);
        session.out().println();
      }
      session.out().println("Total reclaimed space: " + HumanUnits.humanSize(pruned.bytes()));
    }
  }
}
