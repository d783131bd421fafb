package io.strata.runtime.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a runtime-spec bundle for runc: {@code config.json} as Docker makes it (moby
 * {@code oci/defaults.go}, {@code daemon/oci_linux.go}): namespaces, the default mounts, Docker's
 * capability set, masked and read-only paths, the device allow-list, rlimits; plus the container's
 * {@code hostname}, {@code hosts} and {@code resolv.conf}, bind-mounted over the image's. Seccomp
 * is not set: Docker's default profile is a separate piece of work.
 */
public final class BundleWriter {
  static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
      "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
      "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
  static final List<String> MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
      "/sys/firmware", "/sys/devices/virtual/powercap");
  static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
  static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static final long NOFILE = 1048576;

  private BundleWriter() {}

  /** S29 and S31: the working directory and the image's volume paths, checked before anything is written. */
  public static void validate(ContainerSettings s) {
    workdir(s);
    for (String v : s.imageVolumes().keySet()) Paths.cleanAbsolute(v, "volume path");
  }

  /**
   * The cleaned working directory. Anything under /proc is refused (CVE-2024-21626: a leaked fd as
   * {@code /proc/self/fd/N} would give the process a cwd on the host).
   */
  static String workdir(ContainerSettings s) {
    String cwd = Paths.cleanWorkdir(s.workingDir());
    if (cwd.equals("/proc") || cwd.startsWith("/proc/")) {
      throw new InvalidArgumentException("invalid working directory " + s.workingDir() + ": inside /proc");
    }
    return cwd;
  }

  public static Path write(Path bundleDir, Path rootfs, ContainerSettings s, ResolvedUser user) {
    validate(s);
    try {
      Files.createDirectories(bundleDir);
      writeFile(bundleDir.resolve("hostname"), s.hostname() + "\n");
      writeFile(bundleDir.resolve("hosts"), hosts(s));
      writeFile(bundleDir.resolve("resolv.conf"), HostFiles.resolvConf(s.network()));
      Path config = bundleDir.resolve("config.json");
      writeFile(config, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(spec(bundleDir, rootfs, s, user)));
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException("write bundle " + bundleDir, e);
    }
  }

  static ObjectNode spec(Path bundleDir, Path rootfs, ContainerSettings s, ResolvedUser user) {
    ObjectNode spec = Json.mapper().createObjectNode();
    spec.put("ociVersion", "1.0.2");
    ObjectNode process = spec.putObject("process");
    process.put("terminal", s.terminal());
    ObjectNode u = process.putObject("user");
    u.put("uid", user.uid());
    u.put("gid", user.gid());
    if (!user.additionalGids().isEmpty()) user.additionalGids().forEach(u.putArray("additionalGids")::add);
    strings(process.putArray("args"), s.args());
    strings(process.putArray("env"), env(s, user));
    process.put("cwd", workdir(s));
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) strings(caps.putArray(set), CAPABILITIES);
    ObjectNode nofile = process.putArray("rlimits").addObject();
    nofile.put("type", "RLIMIT_NOFILE");
    long limit = HostFiles.openFilesLimit(NOFILE);
    nofile.put("hard", limit);
    nofile.put("soft", limit);
    process.put("noNewPrivileges", false);
    process.put("oomScoreAdj", 0);
    ObjectNode root = spec.putObject("root");
    root.put("path", rootfs.toString());
    root.put("readonly", s.readOnlyRootfs());
    spec.put("hostname", s.hostname());
    ArrayNode mounts = spec.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(mounts, "/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
    mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
    mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev"));
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/dev/shm", "shm", "tmpfs", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
    for (String f : List.of("resolv.conf", "hostname", "hosts")) {
      mount(mounts, "/etc/" + f, bundleDir.resolve(f).toString(), "bind", List.of("rbind", "rprivate"));
    }
    for (BindMount b : s.binds()) {
      List<String> opts = new ArrayList<>(List.of("rbind", "rprivate"));
      if (b.readOnly()) opts.add("ro");
      mount(mounts, b.destination(), b.source().toString(), "bind", opts);
    }
    ObjectNode linux = spec.putObject("linux");
    ArrayNode ns = linux.putArray("namespaces");
    List<String> namespaces = new ArrayList<>(List.of("pid", "ipc", "uts", "mount"));
    if (s.network() == NetworkMode.NONE) namespaces.add("network");
    for (String n : namespaces) ns.addObject().put("type", n);
    devices(linux.putObject("resources").putArray("devices"));
    strings(linux.putArray("maskedPaths"), MASKED);
    strings(linux.putArray("readonlyPaths"), READONLY);
    return spec;
  }

  /** The image's and flags' env, plus what Docker adds: PATH when missing, HOSTNAME, HOME, TERM for a tty. */
  static List<String> env(ContainerSettings s, ResolvedUser user) {
    List<String> env = new ArrayList<>();
    if (s.env().stream().noneMatch(e -> e.startsWith("PATH="))) env.add(DEFAULT_PATH);
    env.add("HOSTNAME=" + s.hostname());
    if (s.terminal() && s.env().stream().noneMatch(e -> e.startsWith("TERM="))) env.add("TERM=xterm");
    env.addAll(s.env());
    if (s.env().stream().noneMatch(e -> e.startsWith("HOME="))) env.add("HOME=" + user.home());
    return env;
  }

  /** Docker's default device rules: deny all, then the standard character devices and ptys. */
  private static void devices(ArrayNode d) {
    d.addObject().put("allow", false).put("access", "rwm");
    int[][] allowed = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {10, 200}};
    for (int[] dev : allowed) {
      d.addObject().put("allow", true).put("type", "c").put("major", dev[0]).put("minor", dev[1]).put("access", "rwm");
    }
    d.addObject().put("allow", true).put("type", "c").put("major", 136).put("access", "rwm"); // /dev/pts/*
  }

  private static String hosts(ContainerSettings s) throws IOException {
    if (s.network() == NetworkMode.HOST) return HostFiles.hostHosts();
    return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
        + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n127.0.1.1\t" + s.hostname() + "\n";
  }

  private static void mount(ArrayNode mounts, String dest, String source, String type, List<String> options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", dest);
    m.put("type", type);
    m.put("source", source);
    strings(m.putArray("options"), options);
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static void writeFile(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
