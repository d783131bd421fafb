package io.strata.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.StrataException;
import io.strata.oci.Json;
import io.strata.runtime.Container;
import io.strata.runtime.network.Network;
import io.strata.runtime.network.Networks;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code strata network create|ls|inspect|rm|connect|disconnect|prune} and {@code strata port}: Docker's. */
final class NetworkCommands {
  private NetworkCommands() {}

  static final class Create extends CliCommand {
    Create(Session session) {
      super(session, "create", "Create a network");
      option("DRIVER", "Driver to manage the network (bridge)", "-d", "--driver");
      option("CIDR", "Subnet in CIDR format", "--subnet");
      option("IP", "IPv4 gateway for the subnet", "--gateway");
      flag("Restrict external access to the network", "--internal");
      repeatable("KEY=VALUE", "Set metadata on a network", "--label");
      positional("0", "1", "NETWORK", "The network's name");
    }

    @Override
    public Integer call() {
      if (value("--driver") != null && !value("--driver").equals("bridge")) {
        throw new InvalidArgumentException("plugin \"" + value("--driver") + "\" not found: strata has the bridge driver");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      for (String l : values("--label")) {
        int eq = l.indexOf('=');
        labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
      }
      Network n = session.containers().networks().create(arg(0), value("--subnet"), value("--gateway"), isSet("--internal"), labels);
      session.out().println(n.id());
      return ExitCodes.OK;
    }
  }

  static final class Ls extends CliCommand {
    Ls(Session session) {
      super(session, "ls", "List networks");
      flag("Only display network IDs", "-q", "--quiet");
      flag("Do not truncate the output", "--no-trunc");
    }

    @Override
    public Integer call() {
      Table t = new Table("NETWORK ID", "NAME", "DRIVER", "SCOPE");
      for (Network n : session.containers().networks().list()) {
        String id = isSet("--no-trunc") ? n.id() : n.id().substring(0, 12);
        if (isSet("--quiet")) session.out().println(id);
        else t.row(id, n.name(), "bridge", "local");
      }
      if (!isSet("--quiet")) t.print(session.out());
      return ExitCodes.OK;
    }
  }

  static final class Inspect extends CliCommand {
    Inspect(Session session) {
      super(session, "inspect", "Display detailed information on one or more networks");
      option("TEMPLATE", "Format the output using the given template", "-f", "--format");
      positional("0..*", "1..*", "NETWORK", "Networks");
    }

    @Override
    public Integer call() throws IOException {
      Networks networks = session.containers().networks();
      ArrayNode all = Json.mapper().createArrayNode();
      for (String name : args(0)) {
        Network n = networks.get(name);
        ObjectNode o = all.addObject().put("Name", n.name()).put("Id", n.id()).put("Created", n.created().toString())
            .put("Scope", "local").put("Driver", "bridge").put("EnableIPv6", false);
        o.putObject("IPAM").put("Driver", "default").putArray("Config").addObject().put("Subnet", n.subnet()).put("Gateway", n.gateway());
        o.put("Internal", n.internal()).put("Attachable", false).put("Ingress", false);
        ObjectNode containers = o.putObject("Containers");
        for (var e : networks.members(n.name())) {
          if (e.ip() == null) continue;
          Container c = session.containers().list().stream().filter(x -> x.id().equals(e.containerId())).findFirst().orElse(null);
          if (c == null) continue;
          containers.putObject(c.id()).put("Name", c.name()).put("MacAddress", e.mac() == null ? "" : e.mac())
              .put("IPv4Address", e.ip() + n.subnet().substring(n.subnet().indexOf('/'))).put("IPv6Address", "");
        }
        o.putObject("Options").put("com.docker.network.bridge.name", n.iface());
        ObjectNode labels = o.putObject("Labels");
        n.labels().forEach(labels::put);
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
      super(session, "rm", "Remove one or more networks");
      positional("0..*", "1..*", "NETWORK", "Networks");
    }

    @Override
    public Integer call() {
      int rc = ExitCodes.OK;
      for (String n : args(0)) {
        try {
          session.containers().networks().remove(n);
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
      super(session, "prune", "Remove all unused networks");
      flag("Do not prompt for confirmation", "-f", "--force");
    }

    @Override
    public Integer call() {
      List<String> gone = session.containers().networks().prune();
      if (!gone.isEmpty()) {
        session.out().println("Deleted Networks:");
        gone.forEach(session.out()::println);
      }
      return ExitCodes.OK;
    }
  }

  static final class Connect extends CliCommand {
    Connect(Session session) {
      super(session, "connect", "Connect a container to a network");
      repeatable("ALIAS", "Add a network-scoped alias for the container", "--alias");
      option("IP", "IPv4 address", "--ip");
      positional("0", "1", "NETWORK", "The network");
      positional("1", "1", "CONTAINER", "The container");
    }

    @Override
    public Integer call() {
      Container c = session.containers().get(arg(1));
      if (c.isRunning()) {
        throw new FailedPreconditionException("container " + c.name()
            + " is running: strata connects networks at the next start (stop it first)");
      }
      session.containers().networks().join(c.id(), arg(0), values("--alias"), value("--ip"));
      return ExitCodes.OK;
    }
  }

  static final class Disconnect extends CliCommand {
    Disconnect(Session session) {
      super(session, "disconnect", "Disconnect a container from a network");
      flag("Force the container to disconnect from a network", "-f", "--force");
      positional("0", "1", "NETWORK", "The network");
      positional("1", "1", "CONTAINER", "The container");
    }

    @Override
    public Integer call() {
      Container c = session.containers().get(arg(1));
      if (c.isRunning()) {
        throw new FailedPreconditionException("container " + c.name()
            + " is running: strata disconnects networks when it is stopped");
      }
      session.containers().networks().leave(c.id(), arg(0));
      return ExitCodes.OK;
    }
  }

  /** {@code strata port CONTAINER [PORT[/PROTO]]}. */
  static final class Port extends CliCommand {
    Port(Session session) {
      super(session, "port", "List port mappings or a specific mapping for the container");
      positional("0", "1", "CONTAINER", "The container");
      positional("1", "0..1", "PRIVATE_PORT[/PROTO]", "A port of the container");
    }

    @Override
    public Integer call() {
      Container c = session.containers().get(arg(0));
      String want = arg(1);
      boolean any = false;
      for (var p : session.containers().networks().ports(c.id())) {
        String key = p.containerPort() + "/" + p.protocol();
        if (want == null) {
          session.out().println(p.describe());
          any = true;
        } else if (key.equals(want.contains("/") ? want : want + "/tcp")) {
          session.out().println((p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp()) + ":" + p.hostPort());
          any = true;
        }
      }
      if (want != null && !any) {
        throw new NotFoundException("No public port '" + (want.contains("/") ? want : want + "/tcp")
            + "' published for " + arg(0));
      }
      return ExitCodes.OK;
    }
  }
}
