package io.strata.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The host's name-resolution files, as Docker adapts them for a container. */
final class HostFiles {
  private HostFiles() {}

  static String hostHosts() throws IOException {
    Path hosts = Path.of("/etc/hosts");
    return Files.exists(hosts) ? Files.readString(hosts) : "127.0.0.1\tlocalhost\n";
  }

  /** The host's resolv.conf; without the host's network, its loopback nameservers cannot be reached and go. */
  static String resolvConf(NetworkMode network) throws IOException {
    Path p = Path.of("/etc/resolv.conf");
    if (!Files.exists(p)) return "";
    String conf = Files.readString(p);
    if (network == NetworkMode.HOST) return conf;
    return conf.lines().filter(l -> !l.strip().matches("nameserver\\s+(127\\.\\S*|::1)"))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** Docker's open-files limit, lowered to this host's hard limit (a container cannot be given more). */
  static long openFilesLimit(long wanted) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          if (f.length >= 2 && f[1].chars().allMatch(Character::isDigit)) return Math.min(wanted, Long.parseLong(f[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: keep Docker's value
    }
    return wanted;
  }
}
