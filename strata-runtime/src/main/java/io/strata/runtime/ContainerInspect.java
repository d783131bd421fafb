package io.strata.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Json;
import io.strata.snapshot.Mount;
import io.strata.snapshot.Snapshotter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code docker inspect} of a container: the fields of Docker's ContainerJSON that strata has. */
final class ContainerInspect {
  /** Docker's NetworkSettings: published ports and, while it runs, each network's address. */
  private static void networkSettings(ObjectNode ns, Container c, io.strata.runtime.network.Networks networks) {
    ns.put("SandboxKey", c.isRunning() && c.spec().network().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")
        && !c.spec().network().equals("none") && !c.spec().network().equals("host")
        ? io.strata.runtime.network.Networks.netns(c.id()).toString() : "");
    ObjectNode ports = ns.putObject("Ports");
    for (String e : c.spec().exposedPorts()) ports.putNull(e.contains("/") ? e : e + "/tcp");
    for (var p : networks.ports(c.id())) {
      String key = p.containerPort() + "/" + p.protocol();
      ArrayNode a = ports.get(key) instanceof ArrayNode existing ? existing : ports.putArray(key);
      a.addObject().put("HostIp", p.hostIp()).put("HostPort", Integer.toString(p.hostPort()));
    }
    ObjectNode nets = ns.putObject("Networks");
    String first = "";
    String gateway = "";
    for (var e : networks.endpoints(c.id())) {
      var net = networks.get(e.network());
      ObjectNode o = nets.putObject(e.network());
      strings(o.putArray("Aliases"), e.aliases());
      o.put("NetworkID", net.id());
      o.put("EndpointID", e.ip() == null ? "" : c.id().substring(0, 12) + e.network());
      o.put("Gateway", e.ip() == null ? "" : net.gateway());
      o.put("IPAddress", e.ip() == null ? "" : e.ip());
      o.put("IPPrefixLen", e.ip() == null ? 0 : Integer.parseInt(net.subnet().substring(net.subnet().indexOf('/') + 1)));
      o.put("MacAddress", e.mac() == null ? "" : e.mac());
      if (first.isEmpty() && e.ip() != null) {
        first = e.ip();
        gateway = net.gateway();
      }
    }
    if (c.spec().network().equals("none") || c.spec().network().equals("host")) nets.putObject(c.spec().network());
    ns.put("IPAddress", c.spec().network().equals("bridge") ? first : "");
    ns.put("Gateway", c.spec().network().equals("bridge") ? gateway : "");
  }

  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private ContainerInspect() {}

  static ObjectNode of(Container c, Path dir, Snapshotter snapshotter, io.strata.runtime.network.Networks networks,
      io.strata.runtime.volume.Volumes volumes) {
    ContainerSpec s = c.spec();
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("Id", c.id());
    n.put("Created", c.created().toString());
    List<String> args = s.args();
    n.put("Path", args.isEmpty() ? "" : args.getFirst());
    strings(n.putArray("Args"), args.isEmpty() ? List.of() : args.subList(1, args.size()));
    ObjectNode state = n.putObject("State");
    state.put("Status", c.state().column());
    state.put("Running", c.isRunning());
    state.put("Paused", c.state() == ContainerState.PAUSED);
    state.put("Restarting", c.state() == ContainerState.RESTARTING);
    state.put("OOMKilled", false);
    state.put("Dead", false);
    state.put("Pid", c.isRunning() ? c.pid() : 0);
    state.put("ExitCode", c.exitCode());
    state.put("Error", c.error());
    state.put("StartedAt", time(c.startedAt()));
    state.put("FinishedAt", time(c.finishedAt()));
    if (c.health() != null && HealthProbe.command(s.healthcheck()) != null) state.set("Health", Json.mapper().valueToTree(c.health()));
    n.put("Image", c.imageId().toString());
    n.put("ResolvConfPath", dir.resolve("resolv.conf").toString());
    n.put("HostnamePath", dir.resolve("hostname").toString());
    n.put("HostsPath", dir.resolve("hosts").toString());
    n.put("LogPath", JsonLog.file(dir, c.id()).toString());
    n.put("Name", "/" + c.name());
    n.put("RestartCount", c.restartCount());
    n.put("Driver", c.driver());
    n.put("Platform", "linux");
    ObjectNode host = n.putObject("HostConfig");
    strings(host.putArray("Binds"), s.binds());
    host.put("NetworkMode", s.network().equals("bridge") ? "default" : s.network());
    ObjectNode bindings = host.putObject("PortBindings");
    for (String p : s.networking().publish()) {
      for (var spec : io.strata.runtime.network.PortSpec.parse(p)) {
        ArrayNode a = bindings.has(spec.containerPort() + "/" + spec.protocol())
            ? (ArrayNode) bindings.get(spec.containerPort() + "/" + spec.protocol())
            : bindings.putArray(spec.containerPort() + "/" + spec.protocol());
        a.addObject().put("HostIp", spec.hostIp().equals("0.0.0.0") ? "" : spec.hostIp())
            .put("HostPort", spec.hostPort() == 0 ? "" : Integer.toString(spec.hostPort()));
      }
    }
    host.put("PublishAllPorts", s.networking().publishAll());
    strings(host.putArray("Dns"), s.networking().dns());
    strings(host.putArray("ExtraHosts"), s.networking().extraHosts());
    host.put("AutoRemove", s.autoRemove());
    host.putObject("RestartPolicy").put("Name", s.restartPolicy().name()).put("MaximumRetryCount", s.restartPolicy().maximumRetryCount());
    host.put("ReadonlyRootfs", s.readOnly());
    hostConfig(host, s.options().host());
    host.putObject("LogConfig").put("Type", "json-file");
    ObjectNode graph = n.putObject("GraphDriver");
    graph.put("Name", c.driver());
    ObjectNode data = graph.putObject("Data");
    for (Mount m : snapshotter.mounts(c.id())) {
      List<String> lowers = new ArrayList<>();
      for (String o : m.options()) {
        if (o.startsWith("lowerdir+=")) lowers.add(o.substring("lowerdir+=".length()));
        else if (o.startsWith("upperdir=")) data.put("UpperDir", o.substring("upperdir=".length()));
        else if (o.startsWith("workdir=")) data.put("WorkDir", o.substring("workdir=".length()));
      }
      if (!lowers.isEmpty()) data.put("LowerDir", String.join(":", lowers));
      if (m.type().equals("bind")) data.put("UpperDir", m.source());
    }
    data.put("MergedDir", dir.resolve("rootfs").toString());
    ArrayNode mounts = n.putArray("Mounts");
    if (s.mounts().isEmpty()) { // a container of an older store: its -v binds
      for (String b : s.binds()) {
        String[] p = b.split(":");
        mounts.addObject().put("Type", "bind").put("Source", p[0]).put("Destination", p.length > 1 ? p[1] : "")
            .put("Mode", p.length > 2 ? p[2] : "").put("RW", !(p.length > 2 && p[2].equals("ro"))).put("Propagation", "rprivate");
      }
    }
    for (MountPoint mp : s.mounts()) {
      ObjectNode m = mounts.addObject().put("Type", mp.type().dockerName());
      if (mp.type() == MountPoint.Type.VOLUME) {
        m.put("Name", mp.source());
        m.put("Source", volumes.exists(mp.source()) ? volumes.get(mp.source()).mountpoint().toString() : "");
      } else {
        m.put("Source", mp.source());
      }
      m.put("Destination", mp.destination());
      if (mp.type() == MountPoint.Type.VOLUME) m.put("Driver", "local");
      m.put("Mode", mp.readOnly() ? "ro" : "");
      m.put("RW", !mp.readOnly());
      m.put("Propagation", mp.type() == MountPoint.Type.BIND ? "rprivate" : "");
    }
    networkSettings(n.putObject("NetworkSettings"), c, networks);
    ObjectNode config = n.putObject("Config");
    config.put("Hostname", s.hostname() == null || s.hostname().isEmpty() ? c.shortId() : s.hostname());
    config.put("User", s.user());
    config.put("Tty", s.tty());
    config.put("OpenStdin", s.openStdin());
    strings(config.putArray("Env"), s.env());
    if (s.cmd().isEmpty()) config.putNull("Cmd");
    else strings(config.putArray("Cmd"), s.cmd());
    config.put("Image", c.imageRef());
    config.put("WorkingDir", s.workingDir());
    if (s.entrypoint().isEmpty()) config.putNull("Entrypoint");
    else strings(config.putArray("Entrypoint"), s.entrypoint());
    ObjectNode labels = config.putObject("Labels");
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(s.labels()).entrySet()) labels.put(e.getKey(), e.getValue());
    if (s.stopSignal() != null) config.put("StopSignal", s.stopSignal());
    if (s.options().stopTimeout() != null) config.put("StopTimeout", s.options().stopTimeout());
    if (s.healthcheck() != null) config.set("Healthcheck", Json.mapper().valueToTree(s.healthcheck()));
    return n;
  }

  /** The privileges, limits and devices, named as Docker names them (null lists where Docker has null). */
  private static void hostConfig(ObjectNode host, io.strata.runtime.spec.HostConfig h) {
    nullOrStrings(host, "CapAdd", h.capAdd());
    nullOrStrings(host, "CapDrop", h.capDrop());
    nullOrStrings(host, "GroupAdd", h.groupAdd());
    host.put("Privileged", h.privileged());
    nullOrStrings(host, "SecurityOpt", h.securityOpt());
    io.strata.runtime.spec.Resources r = h.resources();
    host.put("CpuShares", r.cpuShares());
    host.put("Memory", r.memory());
    host.put("NanoCpus", r.nanoCpus());
    ArrayNode devices = host.putArray("Devices");
    for (var d : h.devices()) {
      devices.addObject().put("PathOnHost", d.pathOnHost()).put("PathInContainer", d.pathInContainer())
          .put("CgroupPermissions", d.cgroupPermissions());
    }
    host.put("MemorySwap", r.memorySwap());
    if (r.pidsLimit() == null) host.putNull("PidsLimit");
    else host.put("PidsLimit", r.pidsLimit());
    if (h.ulimits().isEmpty()) {
      host.putNull("Ulimits");
    } else {
      ArrayNode ulimits = host.putArray("Ulimits");
      for (var u : h.ulimits()) ulimits.addObject().put("Name", u.name()).put("Hard", u.hard()).put("Soft", u.soft());
    }
    if (h.init()) host.put("Init", true);
  }

  private static void nullOrStrings(ObjectNode o, String field, List<String> values) {
    if (values.isEmpty()) o.putNull(field);
    else strings(o.putArray(field), values);
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static String time(Instant i) {
    return i == null ? ZERO_TIME : i.toString();
  }
}
