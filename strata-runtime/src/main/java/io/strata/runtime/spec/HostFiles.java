package io.strata.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The container's hosts and resolv.conf, made from the host's as Docker makes them. */
final class HostFiles {
  private static final Path HOSTS = Path.of("/etc/hosts");
  private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
  private static final Pattern LOOPBACK_NAMESERVER = Pattern.compile("\\s*nameserver\\s+(127\\.\\S*|::1)\\s*(#.*)?");

  private HostFiles() {}

  /**
   * Docker's hosts file: the host's own with the host's network; else localhost and the IPv6 names,
   * then the container's address with its hostname (on a network), then {@code --add-host} lines.
   * With {@code --network none} the hostname gets no line, as in Docker.
   */
  static String hosts(NetworkMode network, String hostname, NetworkSetup setup) throws IOException {
    StringBuilder b = new StringBuilder();
    if (network == NetworkMode.HOST && Files.isRegularFile(HOSTS)) {
      b.append(Files.readString(HOSTS));
      if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') b.append('\n');
    } else {
      b.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\n"
          + "ff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
    }
    for (String line : setup.hostsLines()) b.append(line).append('\n');
    return b.toString();
  }

  /**
   * The host's resolv.conf; without the host's network its loopback nameservers cannot be reached
   * and are dropped, as Docker drops them (nothing may be left: the container then has no DNS).
   * Nameservers of the setup (a network's aardvark-dns, {@code --dns}) replace the host's.
   */
  static String resolvConf(NetworkMode network, NetworkSetup setup) throws IOException {
    String conf = Files.isRegularFile(RESOLV_CONF) ? Files.readString(RESOLV_CONF) : "";
    if (!setup.nameservers().isEmpty()) {
      StringBuilder b = new StringBuilder();
      for (String ns : setup.nameservers()) b.append("nameserver ").append(ns).append('\n');
      conf.lines().filter(l -> l.startsWith("search ") || l.startsWith("options ")).forEach(l -> b.append(l).append('\n'));
      return b.toString();
    }
    if (conf.isEmpty()) return "";
    if (network == NetworkMode.HOST) return conf;
    return conf.lines().filter(l -> !LOOPBACK_NAMESERVER.matcher(l).matches()).collect(Collectors.joining("\n", "", "\n"));
  }

  /**
   * Docker's open-files limit, lowered to this process's hard limit: raising a hard limit needs
   * CAP_SYS_RESOURCE, which a nested or sandboxed root often lacks, and runc would then fail.
   */
  static long openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (!line.startsWith("Max open files")) continue;
        String[] f = line.substring("Max open files".length()).trim().split("\\s+");
        if (f.length >= 2 && f[1].matches("\\d{1,18}")) return Math.min(DockerDefaults.NOFILE, Long.parseLong(f[1]));
      }
    } catch (IOException e) {
      // no /proc: keep Docker's value
    }
    return DockerDefaults.NOFILE;
  }
}
