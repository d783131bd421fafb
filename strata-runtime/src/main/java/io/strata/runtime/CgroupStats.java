package io.strata.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a container's {@link StatsSample} from the cgroup of its init process, cgroup v1 (a
 * hierarchy per controller: cpuacct, memory, blkio, pids) or v2 (one unified hierarchy). runc puts
 * the container in a cgroup named after its ID under runc's own, so the process's
 * {@code /proc/PID/cgroup} names it, and this process's mount table says where each hierarchy is
 * mounted. The network counters are those of the process's network namespace, loopback left out,
 * as Docker counts only the container's endpoints.
 */
final class CgroupStats {
  private static final Path PROC = Path.of("/proc");
  /** USER_HZ, the unit of /proc/stat: 100 on every Linux architecture Docker runs on. */
  private static final long CLOCK_TICKS = 100;

  private CgroupStats() {}

  /** The counters of the container whose init process is {@code pid}; {@code ownNetwork} false counts no network. */
  static StatsSample read(long pid, boolean ownNetwork) throws IOException {
    Map<String, String> cgroups = cgroupPaths(pid);
    long[] net = ownNetwork ? network(pid) : new long[2];
    long systemNanos = systemCpuNanos();
    long machine = machineMemory();
    if (cgroups.size() == 1 && cgroups.containsKey("")) {
      Path dir = mountPoint("cgroup2", null, cgroups.get(""));
      Map<String, Long> memStat = keyed(dir.resolve("memory.stat"));
      Map<String, Long> cpuStat = keyed(dir.resolve("cpu.stat"));
      long[] io = ioStatV2(dir.resolve("io.stat"));
      String max = text(dir.resolve("memory.max"));
      long limit = max.isEmpty() || max.equals("max") ? machine : Math.min(Long.parseLong(max), machine);
      return new StatsSample(Instant.now(), cpuStat.getOrDefault("usage_usec", 0L) * 1000, systemNanos, onlineCpus(),
          number(dir.resolve("memory.current")), memStat.getOrDefault("inactive_file", 0L), limit, net[0], net[1], io[0],
          io[1], number(dir.resolve("pids.current")));
    }
    Path cpu = v1(cgroups, "cpuacct");
    Path memory = v1(cgroups, "memory");
    Path blkio = v1(cgroups, "blkio");
    Path pids = v1(cgroups, "pids");
    long limit = memory == null ? machine : Math.min(number(memory.resolve("memory.limit_in_bytes")), machine);
    long[] io = blkio == null ? new long[2] : blkioV1(blkio);
    return new StatsSample(Instant.now(), cpu == null ? 0 : number(cpu.resolve("cpuacct.usage")), systemNanos, onlineCpus(),
        memory == null ? 0 : number(memory.resolve("memory.usage_in_bytes")),
        memory == null ? 0 : keyed(memory.resolve("memory.stat")).getOrDefault("total_inactive_file", 0L), limit, net[0], net[1],
        io[0], io[1], pids == null ? 0 : number(pids.resolve("pids.current")));
  }

  /** {@code /proc/PID/cgroup}: each v1 controller (and "" for the v2 hierarchy) to the process's cgroup path. */
  private static Map<String, String> cgroupPaths(long pid) throws IOException {
    Map<String, String> paths = new HashMap<>();
    for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("cgroup"))) {
      String[] f = line.split(":", 3);
      if (f.length < 3) continue;
      for (String controller : f[1].split(",")) paths.put(controller, f[2]);
    }
    // hybrid hosts list the (controller-less) v2 hierarchy besides the v1 ones: v1 holds the counters
    if (paths.size() > 1) paths.remove("");
    return paths;
  }

  private static Path v1(Map<String, String> cgroups, String controller) throws IOException {
    String path = cgroups.get(controller);
    return path == null ? null : mountPoint("cgroup", controller, path);
  }

  /**
   * Where the cgroup {@code path} of a hierarchy is in this process's file system: the hierarchy's
   * mount (type {@code fsType}, with {@code controller} among its options for v1) plus the path below
   * the mount's root.
   */
  private static Path mountPoint(String fsType, String controller, String path) throws IOException {
    for (String line : Files.readAllLines(PROC.resolve("self/mountinfo"))) {
      int dash = line.indexOf(" - ");
      if (dash < 0) continue;
      String[] head = line.substring(0, dash).split(" ");
      String[] tail = line.substring(dash + 3).split(" ");
      if (head.length < 5 || tail.length < 3 || !tail[0].equals(fsType)) continue;
      if (controller != null && !List.of(tail[2].split(",")).contains(controller)) continue;
      String root = unescape(head[3]);
      String below = root.equals("/") ? path : path.startsWith(root) ? path.substring(root.length()) : path;
      return Path.of(unescape(head[4]), below.replaceFirst("^/+", ""));
    }
    throw new IOException("no " + fsType + (controller == null ? "" : " " + controller) + " hierarchy mounted");
  }

  /** mountinfo's octal escapes ({@code \040} for a space). */
  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(s.charAt(i));
      }
    }
    return sb.toString();
  }

  /** Received and sent bytes of the namespace's interfaces but {@code lo} ({@code /proc/PID/net/dev}). */
  private static long[] network(long pid) throws IOException {
    long[] total = new long[2];
    List<String> lines = Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("net/dev"));
    for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.substring(0, colon).strip().equals("lo")) continue;
      String[] f = line.substring(colon + 1).strip().split("\\s+");
      if (f.length < 9) continue;
      total[0] += Long.parseLong(f[0]);
      total[1] += Long.parseLong(f[8]);
    }
    return total;
  }

  /** v1 {@code blkio.throttle.io_service_bytes_recursive}: "MAJ:MIN Read N" and "MAJ:MIN Write N" summed. */
  private static long[] blkioV1(Path dir) throws IOException {
    long[] total = new long[2];
    for (String line : lines(dir.resolve("blkio.throttle.io_service_bytes_recursive"))) {
      String[] f = line.split(" ");
      if (f.length != 3) continue;
      if (f[1].equalsIgnoreCase("read")) total[0] += Long.parseLong(f[2]);
      if (f[1].equalsIgnoreCase("write")) total[1] += Long.parseLong(f[2]);
    }
    return total;
  }

  /** v2 {@code io.stat}: "MAJ:MIN rbytes=N wbytes=N …" summed over devices. */
  private static long[] ioStatV2(Path file) throws IOException {
    long[] total = new long[2];
    for (String line : lines(file)) {
      for (String kv : line.split(" ")) {
        if (kv.startsWith("rbytes=")) total[0] += Long.parseLong(kv.substring(7));
        if (kv.startsWith("wbytes=")) total[1] += Long.parseLong(kv.substring(7));
      }
    }
    return total;
  }

  /** Docker's {@code system_cpu_usage}: the host's CPU time from the first line of /proc/stat, in nanoseconds. */
  private static long systemCpuNanos() throws IOException {
    String[] f = Files.readAllLines(PROC.resolve("stat")).getFirst().split("\\s+");
    long ticks = 0;
    for (int i = 1; i < Math.min(f.length, 8); i++) ticks += Long.parseLong(f[i]); // user … softirq, as Docker sums them
    return ticks * (1_000_000_000L / CLOCK_TICKS);
  }

  /** The host's online CPUs ({@code /sys/devices/system/cpu/online}: "0-3,6"). */
  static int onlineCpus() {
    try {
      int n = 0;
      for (String range : Files.readString(Path.of("/sys/devices/system/cpu/online")).strip().split(",")) {
        String[] ab = range.split("-");
        n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
      }
      return n;
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  /** The host's memory in bytes ({@code MemTotal} of /proc/meminfo). */
  static long machineMemory() {
    try {
      for (String line : Files.readAllLines(PROC.resolve("meminfo"))) {
        if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    } catch (IOException | RuntimeException e) {
      // below
    }
    return Long.MAX_VALUE;
  }

  private static Map<String, Long> keyed(Path file) throws IOException {
    Map<String, Long> m = new HashMap<>();
    for (String line : lines(file)) {
      String[] f = line.split(" ");
      if (f.length == 2 && f[1].matches("\\d+")) m.put(f[0], Long.parseLong(f[1]));
    }
    return m;
  }

  private static long number(Path file) throws IOException {
    String s = text(file);
    return s.matches("\\d+") ? Long.parseLong(s) : 0;
  }

  private static String text(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file).strip() : "";
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }
}
