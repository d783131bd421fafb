package io.strata.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.image.ImageService;
import io.strata.image.ImageSummary;
import io.strata.oci.Json;
import io.strata.registry.RegistryOptions;
import io.strata.runtime.Container;
import io.strata.runtime.ContainerState;
import io.strata.runtime.Containers;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code info} shows, as the fields of Docker's {@code types.Info} (their names and types, so
 * {@code --format '{{.Containers}}'} and {@code '{{json .}}'} read the same), with strata's store in
 * the daemon's place and {@code ClientInfo} as the docker CLI adds it. Fields of features strata does
 * not have (swarm, plugins beyond its own, security profiles it does not apply) are left out.
 */
final class SystemInfo {
  static final String INDEX_SERVER = "https://index.docker.io/v1/";

  private SystemInfo() {}

  static ObjectNode of(Session session) {
    ObjectNode info = Json.mapper().createObjectNode();
    Containers containers = session.containers();
    containerCounts(info, containers.list());
    info.put("Images", session.images().list(new ImageService.ListOptions(true, null, List.of())).stream()
        .map(ImageSummary::id).distinct().count());
    info.put("Driver", containers.snapshotter().driver());
    info.putArray("DriverStatus").addArray().add("Backing Filesystem").add(backingFilesystem(session.root()));
    ObjectNode plugins = info.putObject("Plugins");
    plugins.putArray("Volume").add("local");
    plugins.putArray("Network").add("bridge").add("host").add("null");
    plugins.putNull("Authorization");
    plugins.putArray("Log").add("json-file");
    boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    boolean swap = v2 || Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
    info.put("MemoryLimit", true).put("SwapLimit", swap).put("CpuCfsPeriod", true).put("CpuCfsQuota", true)
        .put("CPUShares", true).put("PidsLimit", true);
    info.put("Debug", false);
    info.put("SystemTime", Instant.now().toString());
    info.put("LoggingDriver", "json-file").put("CgroupDriver", "cgroupfs").put("CgroupVersion", v2 ? "2" : "1");
    info.put("KernelVersion", read("/proc/sys/kernel/osrelease"));
    info.put("OperatingSystem", osRelease("PRETTY_NAME", "Linux")).put("OSVersion", osRelease("VERSION_ID", ""));
    info.put("OSType", "linux").put("Architecture", machine());
    info.put("IndexServerAddress", INDEX_SERVER);
    registryConfig(info.putObject("RegistryConfig"), Registries.options(session));
    info.put("NCPU", onlineCpus()).put("MemTotal", memTotal());
    info.put("DockerRootDir", session.root().toString());
    Proxy.put(info, session.streams().env());
    info.put("Name", read("/proc/sys/kernel/hostname"));
    info.putArray("Labels");
    info.put("ExperimentalBuild", false);
    info.put("ServerVersion", VersionCommand.version());
    String runc = containers.runtimeBinary();
    ObjectNode runtimes = info.putObject("Runtimes");
    if (runc != null) runtimes.putObject("runc").put("path", runc);
    info.put("DefaultRuntime", "runc");
    info.put("LiveRestoreEnabled", true); // containers outlive every strata command: each has a monitor of its own
    info.put("InitBinary", "docker-init");
    info.putObject("RuncCommit").put("ID", runc == null ? "" : runcCommit(runc)).put("Expected", "");
    info.putArray("SecurityOptions");
    ArrayNode warnings = info.putArray("Warnings");
    if (!swap) warnings.add("WARNING: No swap limit support");
    info.putObject("ClientInfo").put("Debug", false).put("Version", VersionCommand.version()).putArray("Plugins");
    return info;
  }

  /** Docker's counts: running (restarting ones too), paused, and the rest stopped (created and exited). */
  private static void containerCounts(ObjectNode info, List<Container> all) {
    long paused = all.stream().filter(c -> c.state() == ContainerState.PAUSED).count();
    long running = all.stream().filter(Container::isRunning).count() - paused;
    info.put("Containers", all.size()).put("ContainersRunning", running).put("ContainersPaused", paused)
        .put("ContainersStopped", all.size() - running - paused);
  }

  private static void registryConfig(ObjectNode config, RegistryOptions options) {
    ArrayNode cidrs = config.putArray("InsecureRegistryCIDRs").add("127.0.0.0/8");
    ObjectNode index = config.putObject("IndexConfigs");
    for (String host : options.insecure()) {
      if (host.contains("/")) cidrs.add(host);
      else index.putObject(host).put("Name", host).put("Secure", false).put("Official", false).putArray("Mirrors");
    }
    ObjectNode hub = index.putObject("docker.io").put("Name", "docker.io").put("Secure", true).put("Official", true);
    ArrayNode mirrors = hub.putArray("Mirrors");
    for (URI m : options.mirrors()) mirrors.add(m.toString() + "/");
  }

  /** The proxy settings strata's registry client sees, under Docker's names. */
  private static final class Proxy {
    static void put(ObjectNode info, java.util.Map<String, String> env) {
      info.put("HttpProxy", first(env, "HTTP_PROXY", "http_proxy")).put("HttpsProxy", first(env, "HTTPS_PROXY", "https_proxy"))
          .put("NoProxy", first(env, "NO_PROXY", "no_proxy"));
    }

    private static String first(java.util.Map<String, String> env, String... names) {
      for (String n : names) {
        if (env.get(n) != null && !env.get(n).isEmpty()) return env.get(n);
      }
      return "";
    }
  }

  /** Docker's name of the store's file system type ("extfs" for ext2/3/4, "overlayfs", "xfs", "tmpfs", …). */
  static String backingFilesystem(Path root) {
    try {
      Path p = root;
      while (p != null && !Files.exists(p)) p = p.getParent();
      String type = Files.getFileStore(p == null ? Path.of("/") : p).type();
      return switch (type) {
        case "ext2", "ext3", "ext4" -> "extfs";
        case "overlay" -> "overlayfs";
        default -> type;
      };
    } catch (IOException e) {
      return "<unknown>";
    }
  }

  /** uname's machine: the JVM's architecture under the kernel's name ({@code x86_64}, {@code aarch64}). */
  private static String machine() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      default -> arch;
    };
  }

  private static int onlineCpus() {
    try {
      int n = 0;
      for (String range : read("/sys/devices/system/cpu/online").split(",")) {
        String[] ab = range.split("-");
        n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
      }
      return n;
    } catch (RuntimeException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  private static long memTotal() {
    for (String line : read("/proc/meminfo").lines().toList()) {
      if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }
    return 0;
  }

  private static String osRelease(String key, String fallback) {
    for (String file : List.of("/etc/os-release", "/usr/lib/os-release")) {
      for (String line : read(file).lines().toList()) {
        if (line.startsWith(key + "=")) return line.substring(key.length() + 1).replaceAll("^\"|\"$", "");
      }
    }
    return fallback;
  }

  /** runc's {@code commit:} line of {@code runc --version}, as Docker shows it. */
  private static String runcCommit(String runc) {
    try {
      Process p = new ProcessBuilder(runc, "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readNBytes(1 << 14), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
      return out.lines().filter(l -> l.startsWith("commit:")).map(l -> l.substring(7).strip()).findFirst().orElse("");
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
