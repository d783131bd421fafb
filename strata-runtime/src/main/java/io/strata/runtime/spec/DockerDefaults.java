package io.strata.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What Docker puts in every non-privileged container's spec (moby {@code oci/defaults.go}). */
final class DockerDefaults {
  static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
      "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
      "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

  /** Docker 28's list: /proc/interrupts and powercap came with GHSA-6fw5-f8r9-fgfm and GHSA-jq35-85cj-fj4p. */
  static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore",
      "/proc/keys", "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
      "/sys/devices/virtual/powercap", "/sys/firmware");

  static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
      "/proc/sysrq-trigger");

  /** Docker's open-files limit (containerd's default). */
  static final long NOFILE = 1048576;

  record DeviceRule(boolean allow, String type, Long major, Long minor) {}

  /**
   * Deny everything, then null, zero, urandom, random, tty and console; fuse stays denied. runc
   * adds its own defaults (full, ptmx, /dev/pts/*, tun) after these, as it does for Docker.
   */
  static final List<DeviceRule> DEVICES = List.of(new DeviceRule(false, null, null, null), c(true, 1, 5),
      c(true, 1, 3), c(true, 1, 9), c(true, 1, 8), c(true, 5, 0), c(true, 5, 1), c(false, 10, 229));

  static final List<SpecMount> MOUNTS = List.of(
      new SpecMount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
      new SpecMount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
      new SpecMount("/dev/pts", "devpts", "devpts",
          List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
      new SpecMount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
      new SpecMount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
      new SpecMount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
      new SpecMount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));

  private DockerDefaults() {}

  /** {@link #MASKED_PATHS} plus, as Docker does, each of this host's per-CPU {@code thermal_throttle} directories. */
  static List<String> maskedPaths() {
    List<String> out = new ArrayList<>(MASKED_PATHS);
    try (Stream<Path> cpus = Files.list(Path.of("/sys/devices/system/cpu"))) {
      cpus.map(p -> p.getFileName().toString()).filter(n -> n.matches("cpu\\d{1,6}"))
          .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.substring(3))))
          .map(n -> "/sys/devices/system/cpu/" + n + "/thermal_throttle")
          .filter(p -> Files.isDirectory(Path.of(p))).forEach(out::add);
    } catch (IOException e) {
      // no sysfs here: nothing more to mask
    }
    return out;
  }

  private static DeviceRule c(boolean allow, long major, long minor) {
    return new DeviceRule(allow, "c", major, minor);
  }
}
