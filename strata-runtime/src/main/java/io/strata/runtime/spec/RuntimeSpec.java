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
 * The {@code config.json} document, as moby's {@code createSpec} makes it for a non-privileged
 * container. No cgroupsPath (runc picks one from the container id) and no annotations: image
 * labels never reach the runtime (S33).
 */
final class RuntimeSpec {
  static final String OCI_VERSION = "1.0.2";

  private RuntimeSpec() {}

  static ObjectNode of(Path bundleDir, Path rootfs, ContainerSettings s, ResolvedUser user, String cwd) {
    ObjectNode spec = Json.mapper().createObjectNode();
    spec.put("ociVersion", OCI_VERSION);
    spec.set("process", process(s, user, cwd));
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
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) strings(caps.putArray(set), DockerDefaults.CAPABILITIES);
    long nofile = HostFiles.openFilesLimit();
    process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", nofile).put("soft", nofile);
    process.put("noNewPrivileges", false);
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
    ArrayNode devices = linux.putObject("resources").putArray("devices");
    for (DockerDefaults.DeviceRule r : DockerDefaults.DEVICES) {
      ObjectNode d = devices.addObject().put("allow", r.allow());
      if (r.type() != null) d.put("type", r.type()).put("major", r.major()).put("minor", r.minor());
      d.put("access", "rwm");
    }
    strings(linux.putArray("maskedPaths"), DockerDefaults.maskedPaths());
    strings(linux.putArray("readonlyPaths"), DockerDefaults.READONLY_PATHS);
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
