package io.strata.cli;

import io.strata.runtime.Container;
import io.strata.runtime.ContainerState;
import io.strata.runtime.MountPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code ps --filter}, as Docker reads it: values of one key are alternatives, keys all apply;
 * {@code status}, {@code name} (a regular expression), {@code label}, {@code ancestor},
 * {@code exited}, {@code id}, {@code before}, {@code since}, {@code network}, {@code volume},
 * {@code health}.
 */
final class ContainerFilter {
  private static final Set<String> KEYS = Set.of("status", "name", "label", "ancestor", "exited", "id", "before", "since",
      "network", "volume", "health");
  private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");

  private final Session session;
  private final Map<String, List<String>> byKey = new LinkedHashMap<>();

  ContainerFilter(Session session, List<String> filters) {
    this.session = session;
    for (String f : filters) {
      int eq = f.indexOf('=');
      if (eq <= 0) throw new ExitCodes.UsageException("bad format of filter (expected name=value): " + f);
      String key = f.substring(0, eq);
      String value = f.substring(eq + 1);
      if (!KEYS.contains(key)) throw new io.strata.errdefs.InvalidArgumentException("invalid filter '" + key + "'");
      if (key.equals("status") && !STATUSES.contains(value)) {
        throw new io.strata.errdefs.InvalidArgumentException("invalid filter 'status=" + value + "'");
      }
      if (key.equals("health") && !List.of("starting", "healthy", "unhealthy", "none").contains(value)) {
        throw new io.strata.errdefs.InvalidArgumentException("Unrecognised filter value for health: " + value); // Docker's spelling
      }
      if (key.equals("exited") && !value.matches("-?\\d{1,9}")) throw new io.strata.errdefs.InvalidArgumentException("invalid filter 'exited=" + value + "'");
      if (key.equals("name")) {
        try {
          Pattern.compile(value);
        } catch (PatternSyntaxException e) {
          throw new io.strata.errdefs.InvalidArgumentException("invalid filter 'name=" + value + "': " + e.getDescription());
        }
      }
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
  }

  /** A status or exited filter lists stopped containers without {@code -a}, as Docker does. */
  boolean namesStatus() {
    return byKey.containsKey("status") || byKey.containsKey("exited");
  }

  boolean test(Container c) {
    for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
      if (e.getValue().stream().noneMatch(v -> matches(e.getKey(), v, c))) return false;
    }
    return true;
  }

  private boolean matches(String key, String v, Container c) {
    return switch (key) {
      case "status" -> c.state().column().equals(v);
      case "name" -> Pattern.compile(v).matcher(c.name()).find();
      case "id" -> c.id().startsWith(v);
      case "exited" -> c.state() == ContainerState.EXITED && c.exitCode() == Integer.parseInt(v);
      case "label" -> {
        int eq = v.indexOf('=');
        yield eq < 0 ? c.spec().labels().containsKey(v) : v.substring(eq + 1).equals(c.spec().labels().get(v.substring(0, eq)));
      }
      case "ancestor" -> ancestor(v, c);
      case "before" -> c.created().isBefore(session.containers().get(v).created());
      case "since" -> c.created().isAfter(session.containers().get(v).created());
      case "network" -> session.containers().networks().endpoints(c.id()).stream().anyMatch(ep -> ep.network().equals(v))
          || c.spec().network().equals(v);
      case "volume" -> c.spec().mounts().stream().anyMatch(m -> (m.type() == MountPoint.Type.VOLUME && m.source().equals(v))
          || m.destination().equals(v));
      case "health" -> (c.health() == null ? "none" : c.health().status()).equals(v);
      default -> false;
    };
  }

  /** The image by the name the container was made from, or by ID (a prefix of it too). */
  private boolean ancestor(String v, Container c) {
    if (c.imageRef().equals(v) || (!v.contains(":") && c.imageRef().equals(v + ":latest"))) return true;
    try {
      return session.images().resolve(v).id().equals(c.imageId());
    } catch (io.strata.errdefs.NotFoundException | io.strata.errdefs.InvalidArgumentException e) {
      return false;
    }
  }
}
