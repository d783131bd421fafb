package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Docker's {@code --cap-add}, {@code --cap-drop} and {@code --privileged} (moby {@code oci/caps}): the
 * names, and the process's capability set made from Docker's defaults.
 */
public final class Capabilities {
  /** {@code --cap-add ALL} / {@code --cap-drop ALL}. */
  public static final String ALL = "ALL";

  /** Every capability, by number (linux/capability.h). */
  static final List<String> KNOWN = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
      "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
      "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
      "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
      "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
      "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
      "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

  private Capabilities() {}

  /** The add and drop lists as kept with a container (HostConfig.CapAdd and CapDrop). */
  public record Requested(List<String> add, List<String> drop) {}

  /**
   * The docker CLI's normalisation: upper case, {@code CAP_} prefixed ({@code ALL} stays), no
   * duplicates, sorted; a capability both added and dropped is added (the add wins).
   */
  public static Requested requested(List<String> add, List<String> drop) {
    Set<String> a = new TreeSet<>();
    for (String c : add) a.add(normalize(c));
    Set<String> d = new TreeSet<>();
    for (String c : drop) {
      String n = normalize(c);
      if (!a.contains(n)) d.add(n);
    }
    return new Requested(List.copyOf(a), List.copyOf(d));
  }

  static String normalize(String cap) {
    String c = cap.strip().toUpperCase(Locale.ROOT);
    return c.equals(ALL) || c.startsWith("CAP_") ? c : "CAP_" + c;
  }

  /**
   * The process's capabilities, as moby's {@code TweakCapabilities}: privileged gets all; {@code --cap-add
   * ALL} all but the dropped; {@code --cap-drop ALL} only the added; else the defaults less the dropped
   * plus the added. Unknown names are refused as Docker refuses them.
   */
  static List<String> effective(List<String> add, List<String> drop, boolean privileged) {
    if (privileged) return all();
    List<String> capAdd = known(add, "CapAdd");
    List<String> capDrop = known(drop, "CapDrop");
    Set<String> caps = new LinkedHashSet<>();
    if (capAdd.contains(ALL)) {
      for (String c : all()) if (!capDrop.contains(c)) caps.add(c);
    } else if (capDrop.contains(ALL)) {
      caps.addAll(capAdd);
    } else {
      for (String c : DockerDefaults.CAPABILITIES) if (!capDrop.contains(c)) caps.add(c);
      caps.addAll(capAdd);
    }
    return List.copyOf(caps);
  }

  /**
   * Refuses unknown names, and capabilities strata itself does not hold (its bounding set lacks
   * them, as a nested host's often lacks CAP_SYS_RESOURCE): runc could not give them to the process.
   */
  static void check(List<String> add, List<String> drop) {
    known(drop, "CapDrop");
    Set<String> held = new LinkedHashSet<>(all());
    for (String c : known(add, "CapAdd")) {
      if (!c.equals(ALL) && !held.contains(c)) {
        throw new InvalidArgumentException("--cap-add " + c + ": strata does not hold this capability on this host"
            + " (its bounding set lacks it), so it cannot give it to a container");
      }
    }
  }

  private static List<String> known(List<String> caps, String field) {
    List<String> out = new ArrayList<>();
    for (String c : caps) {
      String n = normalize(c);
      if (!n.equals(ALL) && !KNOWN.contains(n)) {
        throw new InvalidArgumentException("invalid " + field + ": unknown capability: \"" + n + "\"");
      }
      out.add(n);
    }
    return out;
  }

  /**
   * What {@code ALL} and {@code --privileged} give: every capability this kernel has
   * ({@code cap_last_cap}) that strata's own bounding set holds, in number order.
   */
  static List<String> all() {
    int last = lastCap();
    long bounding = boundingSet();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < KNOWN.size() && i <= last; i++) {
      if ((bounding & (1L << i)) != 0) out.add(KNOWN.get(i));
    }
    return out;
  }

  private static int lastCap() {
    try {
      // read as lines: Files.readString gets only the first byte of this /proc file
      return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).getFirst().strip());
    } catch (IOException | RuntimeException e) {
      return KNOWN.size() - 1;
    }
  }

  private static long boundingSet() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapBnd:")) return Long.parseUnsignedLong(line.substring(7).strip(), 16);
      }
    } catch (IOException | NumberFormatException e) {
      // no /proc: assume everything
    }
    return -1L;
  }
}
