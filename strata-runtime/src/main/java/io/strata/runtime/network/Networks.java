package io.strata.runtime.network;

import io.strata.errdefs.AlreadyExistsException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.UnavailableException;
import io.strata.oci.Digest;
import io.strata.store.MetadataDb;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Docker's networks on netavark: the default {@code bridge} (made on first use; no DNS, as in Docker)
 * and user networks (DNS by container name and alias through aardvark-dns). A container's networks
 * are set up in a network namespace of its own ({@code /run/netns/strata-ID}) before its process
 * starts and torn down when it ends, on every path: a stop, a kill, an exit, {@code rm -f}, and the
 * next command after a strata process was killed ({@link #reconcile}).
 */
public final class Networks {
  private static final String DEFAULT_SUBNETS = "10.%d.0.0/16"; // 10.90 down to 10.80
  private static final String USER_SUBNETS = "10.91.%d.0/24";
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
  private static final Path NETNS_DIR = Path.of("/run/netns");

  private final NetworkStore store;
  private final Netavark netavark;
  private final String defaultBridge;

  public Networks(MetadataDb db, io.strata.store.EventJournal events, Path storeRoot, Map<String, String> env) {
    this.store = new NetworkStore(db, events);
    // one per store: two stores on a host must not share a bridge, whose addresses each hands out
    this.defaultBridge = "strata-" + Digest.sha256(storeRoot.toAbsolutePath().toString()
        .getBytes(StandardCharsets.UTF_8)).encoded().substring(0, 8);
    this.netavark = new Netavark(storeRoot.resolve("networks/netavark"), env);
  }

  /** {@code network create}. */
  public Network create(String name, String subnet, String gateway, boolean internal, Map<String, String> labels) {
    if (!NAME.matcher(name).matches()) throw new InvalidArgumentException("invalid network name " + name);
    if (Set.of("bridge", "host", "none", "default").contains(name)) {
      throw new InvalidArgumentException("network name " + name + " is reserved");
    }
    if (store.get(name).isPresent()) throw new AlreadyExistsException("network with name " + name + " already exists");
    String net = subnet != null ? subnet : freeSubnet(IntStream.rangeClosed(0, 255).mapToObj(USER_SUBNETS::formatted).toList());
    Subnets.parse(net);
    String gw = gateway != null ? gateway : Subnets.firstHost(net);
    if (!Subnets.contains(net, gw)) throw new InvalidArgumentException("invalid gateway " + gw + ": not in " + net);
    String id = randomId();
    Network n = new Network(name, id, "br-" + id.substring(0, 12), net, gw, internal, true, Instant.now(), labels);
    store.insert(n);
    return n;
  }

  /** The default bridge, made on first use. */
  public Network defaultNetwork() {
    return store.get(Network.DEFAULT).orElseGet(() -> {
      try {
        String net = freeSubnet(IntStream.rangeClosed(0, 10).mapToObj(i -> DEFAULT_SUBNETS.formatted(90 - i)).toList());
        store.insert(new Network(Network.DEFAULT, randomId(), defaultBridge, net, Subnets.firstHost(net),
            false, false, Instant.now(), Map.of()));
      } catch (AlreadyExistsException raced) {
        // another process made it
      }
      return store.get(Network.DEFAULT).orElseThrow();
    });
  }

  public List<Network> list() {
    defaultNetwork();
    return store.list();
  }

  /** By name, full ID or unique ID prefix. */
  public Network get(String nameOrId) {
    if (nameOrId.equals(Network.DEFAULT)) return defaultNetwork();
    Optional<Network> byName = store.get(nameOrId);
    if (byName.isPresent()) return byName.get();
    List<Network> byId = store.list().stream().filter(n -> n.id().startsWith(nameOrId)).toList();
    if (byId.size() == 1 && nameOrId.length() >= 1) return byId.getFirst();
    throw new NotFoundException("network " + nameOrId + " not found");
  }

  /** Who is on it: container ids with their endpoint. */
  public List<Endpoint> members(String network) {
    return store.members(get(network).name());
  }

  public void remove(String nameOrId) {
    Network n = get(nameOrId);
    if (n.name().equals(Network.DEFAULT)) throw new FailedPreconditionException("bridge is a pre-defined network and cannot be removed");
    store.delete(n.name());
  }

  /** {@code network prune}: user networks no container is on; returns their names. */
  public List<String> prune() {
    List<String> gone = new ArrayList<>();
    for (Network n : store.list()) {
      if (n.name().equals(Network.DEFAULT) || !store.members(n.name()).isEmpty()) continue;
      store.delete(n.name());
      gone.add(n.name());
    }
    return gone;
  }

  /** Puts a (created, not yet running) container on a network: {@code --network}, {@code network connect}. */
  public void join(String containerId, String network, List<String> aliases, String ip) {
    Network n = get(network);
    if (ip != null && n.name().equals(Network.DEFAULT)) {
      throw new InvalidArgumentException("user specified IP address is supported on user defined networks only");
    }
    if (ip != null) Subnets.ip(ip); // a malformed address refused now, not at the next start
    store.join(containerId, n.name(), aliases, ip);
  }

  public void leave(String containerId, String network) {
    store.leave(containerId, get(network).name());
  }

  public List<Endpoint> endpoints(String containerId) {
    return store.endpoints(containerId);
  }

  public List<PortSpec> ports(String containerId) {
    return store.ports(containerId);
  }

  /** The container's namespace. */
  public static Path netns(String containerId) {
    String id = containerId.matches("[0-9a-f]{64}") ? containerId
        : Digest.sha256(containerId.getBytes(StandardCharsets.UTF_8)).encoded();
    return NETNS_DIR.resolve("strata-" + id.substring(0, 12));
  }

  /** What a start set up: the namespace, each network's address and gateway, DNS servers, published ports. */
  public record Attached(Path netns, List<Endpoint> endpoints, Map<String, Network> networks,
      List<String> nameservers, List<PortSpec> ports) {}

  /**
   * Sets the container's networks up in a new namespace, before its process starts: addresses
   * assigned, host ports chosen for publications without one, netavark run. On failure nothing stays.
   */
  public Attached attach(String containerId, String name, List<PortSpec> requested) {
    detachQuietly(containerId, name); // what a crash may have left
    List<Endpoint> eps = store.assign(containerId);
    Map<String, Network> nets = new TreeMap<>();
    List<Netavark.Attachment> attachments = attachments(eps, nets, containerId, name);
    List<PortSpec> ports = new ArrayList<>();
    for (PortSpec p : requested) ports.add(p.hostPort() != 0 ? p : new PortSpec(p.hostIp(), freePort(p), p.containerPort(), p.protocol()));
    Path ns = netns(containerId);
    try {
      ip("netns", "add", ns.getFileName().toString());
      Netavark.Status s = netavark.setup(ns, containerId, name, attachments, ports);
      store.started(containerId, s.macs(), ports);
      return new Attached(ns, store.endpoints(containerId), nets, s.dnsServers(), ports);
    } catch (RuntimeException e) {
      detachQuietly(containerId, name);
      throw e;
    }
  }

  /** Tears the container's networks down and removes its namespace; nothing to do when none is set up. */
  public void detach(String containerId, String name) {
    List<Endpoint> eps = store.endpoints(containerId);
    Path ns = netns(containerId);
    boolean assigned = eps.stream().anyMatch(e -> e.ip() != null);
    try {
      if (assigned && Files.exists(ns)) {
        Map<String, Network> nets = new TreeMap<>();
        netavark.teardown(ns, containerId, name, attachments(eps.stream().filter(e -> e.ip() != null).toList(), nets, containerId, name),
            store.ports(containerId));
      }
    } finally {
      if (Files.exists(ns)) ip("netns", "del", ns.getFileName().toString());
      store.stopped(containerId);
    }
  }

  private void detachQuietly(String containerId, String name) {
    try {
      detach(containerId, name);
    } catch (RuntimeException e) {
      // a half set-up namespace: what could be undone is
    }
  }

  /** After a crash: every container not running keeps no network set up. */
  public void reconcile(java.util.function.Predicate<String> running, Function<String, String> names) {
    for (String id : store.withAddresses()) if (!running.test(id)) detachQuietly(id, names.apply(id));
  }

  /** Docker's hosts file lines of a container: its address and names on each network. */
  public static List<String> hostLines(Attached a, String hostname) {
    List<String> out = new ArrayList<>();
    for (Endpoint e : a.endpoints()) {
      if (e.ip() != null) {
        out.add(e.ip() + "\t" + hostname);
        break;
      }
    }
    return out;
  }

  /** The container forgets its networks (it is removed). */
  public void forget(String containerId) {
    store.forget(containerId);
  }

  private List<Netavark.Attachment> attachments(List<Endpoint> eps, Map<String, Network> nets, String containerId,
      String name) {
    List<Netavark.Attachment> out = new ArrayList<>();
    int i = 0;
    for (Endpoint e : eps) {
      Network n = store.get(e.network()).orElseThrow(() -> new NotFoundException("network " + e.network() + " not found"));
      nets.put(n.name(), n);
      List<String> aliases = new ArrayList<>(e.aliases());
      if (n.dns()) {
        if (!aliases.contains(name)) aliases.add(name);
        String shortId = containerId.length() >= 12 ? containerId.substring(0, 12) : containerId;
        if (!aliases.contains(shortId)) aliases.add(shortId);
      }
      out.add(new Netavark.Attachment(n, "eth" + i++, e.ip(), aliases));
    }
    return out;
  }

  /** The first candidate overlapping no network of this store and no host route. */
  private String freeSubnet(List<String> candidates) {
    List<Network> all = store.list();
    List<String> routes = Subnets.hostRoutes();
    for (String candidate : candidates) {
      if (all.stream().noneMatch(n -> Subnets.overlap(n.subnet(), candidate))
          && routes.stream().noneMatch(r -> Subnets.overlapsRoute(candidate, r))) {
        return candidate;
      }
    }
    throw new FailedPreconditionException("no free subnet left from " + candidates.getFirst() + " to " + candidates.getLast()
        + ": give --subnet");
  }

  private static int freePort(PortSpec p) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(p.hostIp()), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new InvalidArgumentException("no free host port on " + p.hostIp() + ": " + e.getMessage());
    }
  }

  private static String randomId() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "ip"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readNBytes(8192)).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UnavailableException("ip " + String.join(" ", args) + " timed out", null);
      }
      if (p.exitValue() != 0) throw new FailedPreconditionException("ip " + String.join(" ", args) + ": " + out);
    } catch (IOException e) {
      throw new UnavailableException("ip " + String.join(" ", args) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
    }
  }
}
