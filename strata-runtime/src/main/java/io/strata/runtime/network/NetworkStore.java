package io.strata.runtime.network;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.errdefs.AlreadyExistsException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Json;
import io.strata.store.Event;
import io.strata.store.EventJournal;
import io.strata.store.MetadataDb;
import io.strata.store.Tx;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The networks table, the containers on each network ({@code network_endpoints}: aliases, a static
 * address, and the address, MAC while the container runs) and the host ports a running container
 * publishes. Addresses are handed out here (netavark's host-local mode: the caller assigns them),
 * the lowest free one of the subnet, in the transaction that records it.
 */
final class NetworkStore {
  private final MetadataDb db;
  private final EventJournal events;

  NetworkStore(MetadataDb db, EventJournal events) {
    this.db = db;
    this.events = events;
  }

  /** Docker's network event: the network's ID, its name and type, and {@code container} for (dis)connect. */
  private void journal(Tx tx, String network, String action, String containerId) {
    get(tx, network).ifPresent(n -> {
      Map<String, String> a = new java.util.HashMap<>(Map.of("name", n.name(), "type", "bridge"));
      if (containerId != null) a.put("container", containerId);
      events.append(tx, Event.of(Event.NETWORK, action, n.id(), a));
    });
  }

  void insert(Network n) {
    db.write(tx -> {
      if (get(tx, n.name()).isPresent()) throw new AlreadyExistsException("network with name " + n.name() + " already exists");
      for (Network other : list(tx)) {
        if (Subnets.overlap(other.subnet(), n.subnet())) {
          throw new InvalidArgumentException("invalid pool request: Pool overlaps with other one on this address space ("
              + other.name() + " " + other.subnet() + ")");
        }
      }
      tx.update("INSERT INTO networks(name, id, iface, subnet, gateway, internal, dns, created, labels) VALUES (?,?,?,?,?,?,?,?,?)",
          n.name(), n.id(), n.iface(), n.subnet(), n.gateway(), n.internal() ? 1 : 0, n.dns() ? 1 : 0, n.created().toString(),
          new String(Json.write(n.labels()), StandardCharsets.UTF_8));
      if (!n.name().equals(Network.DEFAULT)) journal(tx, n.name(), "create", null); // Docker's predefined bridge just is
      return null;
    });
  }

  Optional<Network> get(String name) {
    return db.read(tx -> get(tx, name));
  }

  Optional<Network> get(Tx tx, String name) {
    return tx.queryFirst("SELECT name, id, iface, subnet, gateway, internal, dns, created, labels FROM networks WHERE name = ?",
        NetworkStore::network, name);
  }

  List<Network> list() {
    return db.read(this::list);
  }

  private List<Network> list(Tx tx) {
    return tx.query("SELECT name, id, iface, subnet, gateway, internal, dns, created, labels FROM networks ORDER BY name",
        NetworkStore::network);
  }

  void delete(String name) {
    db.write(tx -> {
      int users = tx.queryFirst("SELECT count(*) FROM network_endpoints WHERE network = ?", rs -> rs.getInt(1), name).orElse(0);
      if (users > 0) throw new FailedPreconditionException("error while removing network: network " + name + " has active endpoints");
      journal(tx, name, "destroy", null);
      return tx.update("DELETE FROM networks WHERE name = ?", name);
    });
  }

  void join(String containerId, String network, List<String> aliases, String staticIp) {
    db.write(tx -> tx.update("INSERT INTO network_endpoints(container_id, network, aliases, static_ip) VALUES (?,?,?,?) "
            + "ON CONFLICT(container_id, network) DO UPDATE SET aliases = excluded.aliases, static_ip = excluded.static_ip",
        containerId, network, new String(Json.write(aliases), StandardCharsets.UTF_8), staticIp));
  }

  void leave(String containerId, String network) {
    db.write(tx -> tx.update("DELETE FROM network_endpoints WHERE container_id = ? AND network = ?", containerId, network));
  }

  void forget(String containerId) {
    db.write(tx -> {
      tx.update("DELETE FROM network_endpoints WHERE container_id = ?", containerId);
      return tx.update("DELETE FROM container_ports WHERE container_id = ?", containerId);
    });
  }

  List<Endpoint> endpoints(String containerId) {
    return db.read(tx -> tx.query("SELECT container_id, network, aliases, static_ip, ip, mac FROM network_endpoints "
        + "WHERE container_id = ? ORDER BY network", NetworkStore::endpoint, containerId));
  }

  List<Endpoint> members(String network) {
    return db.read(tx -> tx.query("SELECT container_id, network, aliases, static_ip, ip, mac FROM network_endpoints "
        + "WHERE network = ? ORDER BY container_id", NetworkStore::endpoint, network));
  }

  /** Containers whose endpoints still hold an address: what a start left set up. */
  List<String> withAddresses() {
    return db.read(tx -> tx.query("SELECT DISTINCT container_id FROM network_endpoints WHERE ip IS NOT NULL", rs -> rs.getString(1)));
  }

  /** Gives each endpoint of the container an address: its static one, else the lowest free one of its subnet. */
  List<Endpoint> assign(String containerId) {
    return db.write(tx -> {
      List<Endpoint> eps = tx.query("SELECT container_id, network, aliases, static_ip, ip, mac FROM network_endpoints "
          + "WHERE container_id = ? ORDER BY network", NetworkStore::endpoint, containerId);
      for (Endpoint e : eps) {
        Network n = get(tx, e.network()).orElseThrow(() -> new NotFoundException("network " + e.network() + " not found"));
        Set<String> used = new HashSet<>(tx.query("SELECT ip FROM network_endpoints WHERE network = ? AND ip IS NOT NULL "
            + "AND container_id <> ?", rs -> rs.getString(1), n.name(), containerId));
        used.addAll(tx.query("SELECT static_ip FROM network_endpoints WHERE network = ? AND static_ip IS NOT NULL "
            + "AND container_id <> ?", rs -> rs.getString(1), n.name(), containerId));
        String ip = e.staticIp();
        if (ip != null) {
          if (!Subnets.contains(n.subnet(), ip) || ip.equals(n.gateway())) {
            throw new InvalidArgumentException("invalid IP " + ip + ": not a free host address of " + n.name() + " (" + n.subnet() + ")");
          }
          if (used.contains(ip)) throw new AlreadyExistsException("address " + ip + " already in use on network " + n.name());
        } else {
          used.add(n.gateway());
          ip = Subnets.lowestFree(n.subnet(), used)
              .orElseThrow(() -> new FailedPreconditionException("no free address left on network " + n.name()));
        }
        tx.update("UPDATE network_endpoints SET ip = ? WHERE container_id = ? AND network = ?", ip, containerId, n.name());
        journal(tx, n.name(), "connect", containerId); // as Docker, on each start
      }
      return tx.query("SELECT container_id, network, aliases, static_ip, ip, mac FROM network_endpoints WHERE container_id = ? "
          + "ORDER BY network", NetworkStore::endpoint, containerId);
    });
  }

  void started(String containerId, Map<String, String> macs, List<PortSpec> ports) {
    db.write(tx -> {
      macs.forEach((net, mac) -> tx.update("UPDATE network_endpoints SET mac = ? WHERE container_id = ? AND network = ?",
          mac, containerId, net));
      tx.update("DELETE FROM container_ports WHERE container_id = ?", containerId);
      for (PortSpec p : ports) {
        tx.update("INSERT INTO container_ports(container_id, host_ip, host_port, container_port, protocol) VALUES (?,?,?,?,?)",
            containerId, p.hostIp(), p.hostPort(), p.containerPort(), p.protocol());
      }
      return null;
    });
  }

  /** After a stop: addresses and published ports are released. */
  void stopped(String containerId) {
    db.write(tx -> {
      for (String network : tx.query("SELECT network FROM network_endpoints WHERE container_id = ? AND ip IS NOT NULL "
          + "ORDER BY network", rs -> rs.getString(1), containerId)) {
        journal(tx, network, "disconnect", containerId);
      }
      tx.update("UPDATE network_endpoints SET ip = NULL, mac = NULL WHERE container_id = ?", containerId);
      return tx.update("DELETE FROM container_ports WHERE container_id = ?", containerId);
    });
  }

  List<PortSpec> ports(String containerId) {
    return db.read(tx -> tx.query("SELECT host_ip, host_port, container_port, protocol FROM container_ports WHERE container_id = ? "
        + "ORDER BY container_port, protocol, host_ip", rs -> new PortSpec(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getString(4)),
        containerId));
  }

  private static Network network(ResultSet rs) throws SQLException {
    Map<String, String> labels = Json.mapper().convertValue(Json.readTree(rs.getString(9).getBytes(StandardCharsets.UTF_8), "labels"),
        new TypeReference<Map<String, String>>() {});
    return new Network(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6) != 0,
        rs.getInt(7) != 0, Instant.parse(rs.getString(8)), labels);
  }

  private static Endpoint endpoint(ResultSet rs) throws SQLException {
    List<String> aliases = Json.mapper().convertValue(Json.readTree(rs.getString(3).getBytes(StandardCharsets.UTF_8), "aliases"),
        new TypeReference<List<String>>() {});
    return new Endpoint(rs.getString(1), rs.getString(2), aliases, rs.getString(4), rs.getString(5), rs.getString(6));
  }
}
