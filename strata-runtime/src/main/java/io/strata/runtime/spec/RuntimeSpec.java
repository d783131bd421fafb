package io.strata.runtime.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code config.json} document, as moby's {@code createSpec} makes it (its privileges, limits
 * and devices from the container's {@link HostConfig}). No cgroupsPath (runc picks one from the container id) and no annotations: image
 * labels never reach the runtime (S33).
 */
final class RuntimeSpec {
  static final String OCI_VERSION = "1.0.2";

  private RuntimeSpec() {}

  static ObjectNode of(Path bundleDir, Path rootfs, ContainerSettings s, ResolvedUser user, String cwd) {
    ObjectNode spec = Json.mapper().createObjectNode();
    spec.put("ociVersion", OCI_VERSION);
    ObjectNode process = process(s, user, cwd);
    if (s.host().init()) { // Docker's --init: its tini is PID 1 and runs the command
      ((ArrayNode) process.get("args")).insert(0, "--").insert(0, HostConfig.INIT_PATH);
    }
    spec.set("process", process);
    spec.putObject("root").put("path", rootfs.toString()).put("readonly", s.readOnlyRootfs());
    spec.put("hostname", s.hostname());
    ArrayNode mounts = spec.putArray("mounts");
    for (SpecMount m : MountList.of(bundleDir, s)) {
      ObjectNode n = mounts.addObject().put("destination", m.destination()).put("type", m.type()).put("source", m.source());
      strings(n.putArray("options"), m.options());
    }
    linux(spec.putObject("linux"), s);
    return spec;
  }

  /** The process section: also the whole of an exec's process.json, so {@code exec} and {@code run} get one identity. */
  static ObjectNode process(ContainerSettings s, ResolvedUser user, String cwd) {
    ObjectNode process = Json.mapper().createObjectNode();
    process.put("terminal", s.terminal());
    ObjectNode u = process.putObject("user").put("uid", user.uid()).put("gid", user.gid());
    // Docker lists the primary group first, then the supplementary ones
    Set<Long> gids = new LinkedHashSet<>(List.of(user.gid()));
    gids.addAll(user.additionalGids());
    gids.forEach(u.putArray("additionalGids")::add);
    strings(process.putArray("args"), s.args());
    strings(process.putArray("env"), ProcessEnv.of(s, user));
    process.put("cwd", cwd);
    // inheritable and ambient stay empty, as in Docker 20.10+ (CVE-2022-24769)
    HostConfig host = s.host();
    List<String> capabilities = Capabilities.effective(host.capAdd(), host.capDrop(), host.privileged());
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) strings(caps.putArray(set), capabilities);
    rlimits(process.putArray("rlimits"), host.ulimits());
    process.put("noNewPrivileges", host.noNewPrivileges());
    process.put("oomScoreAdj", 0);
    return process;
  }

  /** Seccomp is left out: Docker's default profile is large and is a later piece of work. */
  private static void linux(ObjectNode linux, ContainerSettings s) {
    List<String> namespaces = new ArrayList<>(List.of("mount", "network", "uts", "pid", "ipc"));
    // Docker keeps a UTS namespace with the host's network; the hostname is then the host's
    if (s.network() == NetworkMode.HOST) namespaces.remove("network");
    ArrayNode ns = linux.putArray("namespaces");
    for (String n : namespaces) {
      ObjectNode entry = ns.addObject().put("type", n);
      if (n.equals("network") && s.networkSetup().netns() != null) entry.put("path", s.networkSetup().netns().toString());
    }
    HostConfig host = s.host();
    ObjectNode resources = linux.putObject("resources");
    ArrayNode rules = resources.putArray("devices");
    for (DockerDefaults.DeviceRule r : DockerDefaults.DEVICES) {
      ObjectNode d = rules.addObject().put("allow", r.allow());
      if (r.type() != null) d.put("type", r.type()).put("major", r.major()).put("minor", r.minor());
      d.put("access", "rwm");
    }
    devices(linux, rules, host);
    limits(resources, host.resources());
    if (!host.privileged()) { // privileged: nothing of /proc or /sys hidden or read-only, as in Docker
      strings(linux.putArray("maskedPaths"), DockerDefaults.maskedPaths());
      strings(linux.putArray("readonlyPaths"), DockerDefaults.READONLY_PATHS);
    }
  }

  /**
   * Docker's rlimits: the open-files default (see {@link HostFiles#openFilesLimit}) unless
   * {@code --ulimit nofile} replaces it, then each {@code --ulimit} (the last of a name wins); -1 is
   * unlimited (the largest unsigned value, as Go writes it).
   */
  private static void rlimits(ArrayNode out, List<Ulimit> ulimits) {
    java.util.Map<String, Ulimit> byName = new java.util.LinkedHashMap<>();
    long nofile = HostFiles.openFilesLimit();
    byName.put("nofile", new Ulimit("nofile", nofile, nofile));
    for (Ulimit u : ulimits) byName.put(u.name(), u);
    for (Ulimit u : byName.values()) {
      out.addObject().put("type", u.rlimit()).put("hard", unsigned(u.hard())).put("soft", unsigned(u.soft()));
    }
  }

  private static java.math.BigInteger unsigned(long v) {
    return new java.math.BigInteger(Long.toUnsignedString(v));
  }

  /**
   * {@code --device} nodes and the cgroup rules allowing them (moby's {@code WithDevices}); with
   * {@code --privileged}, every host device and a rule allowing all, a {@code --device} only adding
   * a node under another name.
   */
  private static void devices(ObjectNode linux, ArrayNode rules, HostConfig host) {
    List<HostDevices.Device> nodes = new ArrayList<>();
    if (host.privileged()) {
      nodes.addAll(HostDevices.host());
      for (DeviceMapping m : host.devices()) {
        if (m.pathOnHost().equals(m.pathInContainer())) continue; // already there
        nodes.addAll(HostDevices.of(new DeviceMapping(m.pathOnHost(), m.pathInContainer(), "rwm")));
      }
      rules.addObject().put("allow", true).put("access", "rwm");
    } else {
      for (DeviceMapping m : host.devices()) nodes.addAll(HostDevices.of(m));
      for (HostDevices.Device d : nodes) {
        rules.addObject().put("allow", true).put("type", d.type()).put("major", d.major()).put("minor", d.minor())
            .put("access", d.access());
      }
    }
    if (nodes.isEmpty()) return;
    ArrayNode out = linux.putArray("devices");
    for (HostDevices.Device d : nodes) {
      out.addObject().put("path", d.path()).put("type", d.type()).put("major", d.major()).put("minor", d.minor())
          .put("fileMode", d.fileMode()).put("uid", d.uid()).put("gid", d.gid());
    }
  }

  /** The cgroup limits, as moby's {@code getMemoryResources}, {@code getCPUResources} and pids limit. */
  private static void limits(ObjectNode resources, Resources r) {
    if (r.memory() > 0 || r.memorySwap() > 0) {
      ObjectNode memory = resources.putObject("memory");
      if (r.memory() > 0) memory.put("limit", r.memory());
      if (r.memorySwap() > 0) memory.put("swap", r.memorySwap());
    }
    if (r.cpuShares() != 0 || r.nanoCpus() > 0) {
      ObjectNode cpu = resources.putObject("cpu");
      if (r.cpuShares() != 0) cpu.put("shares", r.cpuShares());
      if (r.nanoCpus() > 0) {
        cpu.put("quota", r.nanoCpus() * Resources.CPU_PERIOD / 1_000_000_000L).put("period", Resources.CPU_PERIOD);
      }
    }
    if (r.pidsLimit() != null && r.pidsLimit() > 0) resources.putObject("pids").put("limit", r.pidsLimit());
  }

  /**
   * The resources object of {@code runc update -r} for limits {@code r}: what is 0 there stays as
   * it is (runc's defaults), so a pids limit of none and a swap limit of -1 are sent as -1 (unlimited).
   */
  static byte[] resourcesUpdate(Resources r) {
    ObjectNode resources = io.strata.oci.Json.mapper().createObjectNode();
    limits(resources, r);
    if (r.memorySwap() < 0) {
      (resources.has("memory") ? (ObjectNode) resources.get("memory") : resources.putObject("memory")).put("swap", -1);
    }
    if (r.pidsLimit() == null) resources.putObject("pids").put("limit", -1);
    return io.strata.oci.Json.write(resources);
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
