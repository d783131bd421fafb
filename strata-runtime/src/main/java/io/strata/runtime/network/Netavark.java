package io.strata.runtime.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.UnavailableException;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * netavark, podman's network backend, run as podman runs it: {@code netavark --config DIR setup|teardown
 * NETNS} with the networks and options as JSON on stdin. It makes the bridge, the veth pair, the
 * addresses, NAT and port forwards, and (for networks with DNS) starts aardvark-dns. strata makes none
 * of that itself.
 */
final class Netavark {
  private static final List<Path> BINARIES = List.of(Path.of("/usr/lib/podman/netavark"), Path.of("/usr/libexec/podman/netavark"),
      Path.of("/usr/local/libexec/podman/netavark"));
  private static final List<Path> AARDVARK = List.of(Path.of("/usr/lib/podman/aardvark-dns"),
      Path.of("/usr/libexec/podman/aardvark-dns"), Path.of("/usr/local/libexec/podman/aardvark-dns"));
  private static final long TIMEOUT_SECONDS = 60;

  private final Path binary;
  private final Path config;

  Netavark(Path config, Map<String, String> env) {
    this.config = config;
    String given = env.get("STRATA_NETAVARK");
    this.binary = given != null && !given.isEmpty() ? Path.of(given)
        : BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  /** One network of a container: its description, the interface name inside, the address, the DNS aliases. */
  record Attachment(Network network, String iface, String ip, List<String> aliases) {}

  /** What setup made: each network's interface MAC, and the DNS servers it serves (aardvark's). */
  record Status(Map<String, String> macs, List<String> dnsServers) {}

  Status setup(Path netns, String containerId, String name, List<Attachment> nets, List<PortSpec> ports) {
    JsonNode out = run("setup", netns, options(containerId, name, nets, ports));
    Map<String, String> macs = new TreeMap<>();
    List<String> dns = new ArrayList<>();
    for (Attachment a : nets) {
      JsonNode s = out.path(a.network().name());
      macs.put(a.network().name(), s.path("interfaces").path(a.iface()).path("mac_address").asText(""));
      s.path("dns_server_ips").forEach(d -> {
        if (!dns.contains(d.asText())) dns.add(d.asText());
      });
    }
    return new Status(macs, dns);
  }

  void teardown(Path netns, String containerId, String name, List<Attachment> nets, List<PortSpec> ports) {
    run("teardown", netns, options(containerId, name, nets, ports));
  }

  private static byte[] options(String containerId, String name, List<Attachment> nets, List<PortSpec> ports) {
    ObjectNode o = Json.mapper().createObjectNode().put("container_id", containerId).put("container_name", name);
    ObjectNode networks = o.putObject("networks");
    ObjectNode info = o.putObject("network_info");
    for (Attachment a : nets) {
      ObjectNode n = networks.putObject(a.network().name()).put("interface_name", a.iface());
      n.putArray("static_ips").add(a.ip());
      ArrayNode aliases = n.putArray("aliases");
      a.aliases().forEach(aliases::add);
      info.set(a.network().name(), a.network().netavark());
    }
    ArrayNode pm = o.putArray("port_mappings");
    for (PortSpec p : ports) {
      pm.addObject().put("host_ip", p.hostIp().equals("0.0.0.0") ? "" : p.hostIp()).put("container_port", p.containerPort())
          .put("host_port", p.hostPort()).put("range", 1).put("protocol", p.protocol());
    }
    return Json.write(o);
  }

  /**
   * netavark creates host-wide iptables chains on first use and two setups at once race on them
   * ("Chain already exists"), as podman knows: one setup or teardown at a time on the host, by a
   * lock file every strata process (of any store) takes, and by a lock among this process's threads.
   */
  private static final java.util.concurrent.locks.ReentrantLock IN_PROCESS = new java.util.concurrent.locks.ReentrantLock();
  private static final Path HOST_LOCK = Path.of("/run/lock/strata-netavark.lock");

  private JsonNode run(String action, Path netns, byte[] input) {
    if (binary == null) {
      throw new FailedPreconditionException("networking needs netavark (apt-get install netavark aardvark-dns), or --network none|host");
    }
    Path lockFile = Files.isDirectory(HOST_LOCK.getParent()) ? HOST_LOCK : config.resolveSibling("netavark.lock");
    IN_PROCESS.lock();
    try {
      Files.createDirectories(lockFile.getParent());
    } catch (IOException e) {
      IN_PROCESS.unlock();
      throw new UnavailableException("netavark " + action + ": " + e.getMessage(), e);
    }
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock held = ch.lock()) {
      return runLocked(action, netns, input);
    } catch (IOException e) {
      throw new UnavailableException("netavark " + action + ": lock " + lockFile + ": " + e.getMessage(), e);
    } finally {
      IN_PROCESS.unlock();
    }
  }

  private JsonNode runLocked(String action, Path netns, byte[] input) {
    try {
      Files.createDirectories(config);
      List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--config", config.toString()));
      AARDVARK.stream().filter(Files::isExecutable).findFirst().ifPresent(a -> cmd.addAll(List.of("--aardvark-binary", a.toString())));
      cmd.addAll(List.of(action, netns.toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(input);
      }
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
        try {
          return p.getErrorStream().readNBytes(64 * 1024);
        } catch (IOException e) {
          return new byte[0];
        }
      });
      byte[] out = p.getInputStream().readNBytes(1 << 20);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UnavailableException("netavark " + action + " timed out", null);
      }
      if (p.exitValue() != 0) {
        String msg = new String(out.length > 0 ? out : err.join(), StandardCharsets.UTF_8).strip();
        JsonNode j = msg.startsWith("{") ? Json.readTree(msg.getBytes(StandardCharsets.UTF_8), "netavark error") : null;
        String text = j != null && j.has("error") ? j.get("error").asText() : msg.isEmpty() ? "exit " + p.exitValue() : msg.lines().findFirst().get();
        throw new FailedPreconditionException("netavark " + action + ": " + text);
      }
      return out.length == 0 ? Json.mapper().createObjectNode() : Json.readTree(out, "netavark " + action + " output");
    } catch (IOException e) {
      throw new UnavailableException("netavark " + action + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
    }
  }
}
