package io.strata.cli;

import io.strata.store.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code events --filter}, as moby's {@code daemon/events/filter.go} reads it: values of one key
 * are alternatives, keys all apply. {@code container}, {@code network} and {@code volume} match an
 * event of that type by ID or name prefix; {@code image} matches an image event's ID or name, or a
 * container event's image, with or without its tag; {@code type} and {@code event} match exactly
 * ({@code event=exec_start} also matches {@code exec_start: sh}); every {@code label} must be among
 * the attributes ({@code key} or {@code key=value}); {@code scope} is {@code local}.
 */
final class EventFilter {
  private static final Set<String> KEYS = Set.of("container", "image", "event", "type", "label", "network", "volume",
      "scope", "daemon");
  private static final Set<String> TYPES = Set.of("container", "image", "network", "volume", "daemon", "plugin", "service",
      "node", "secret", "config");
  private static final Set<String> FUZZY_EVENTS = Set.of("health_status", "exec_create", "exec_start");

  private final Map<String, List<String>> byKey = new LinkedHashMap<>();

  EventFilter(List<String> filters) {
    for (String f : filters) {
      int eq = f.indexOf('=');
      if (eq <= 0) throw new ExitCodes.UsageException("bad format of filter (expected name=value): " + f);
      String key = f.substring(0, eq);
      String value = f.substring(eq + 1);
      if (!KEYS.contains(key)) throw new io.strata.errdefs.InvalidArgumentException("invalid filter '" + key + "'");
      if (key.equals("type") && !TYPES.contains(value)) {
        throw new io.strata.errdefs.InvalidArgumentException("invalid filter 'type=" + value + "'");
      }
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
  }

  boolean test(Event e) {
    return event(e) && exact("type", e.type()) && exact("scope", "local") && !byKey.containsKey("daemon")
        && byName(e, "container") && byName(e, "network") && byName(e, "volume") && image(e) && labels(e);
  }

  private boolean event(Event e) {
    List<String> wanted = byKey.get("event");
    if (wanted == null) return true;
    boolean fuzzy = wanted.stream().anyMatch(FUZZY_EVENTS::contains);
    return wanted.stream().anyMatch(w -> w.equals(e.action()) || (fuzzy && e.action().startsWith(w)));
  }

  private boolean exact(String key, String value) {
    List<String> wanted = byKey.get(key);
    return wanted == null || wanted.contains(value);
  }

  /** moby's {@code fuzzyMatchName}: the actor's ID or its name attribute starts with a wanted value. */
  private boolean byName(Event e, String type) {
    List<String> wanted = byKey.get(type);
    if (wanted == null) return true;
    if (!e.type().equals(type)) return false;
    String name = e.attributes().getOrDefault("name", "");
    return wanted.stream().anyMatch(w -> e.actorId().startsWith(w) || (!name.isEmpty() && name.startsWith(w)));
  }

  private boolean image(Event e) {
    List<String> wanted = byKey.get("image");
    if (wanted == null) return true;
    String name = e.attributes().getOrDefault(e.type().equals(Event.IMAGE) ? "name" : "image", "");
    List<String> forms = List.of(e.actorId(), name, stripTag(e.actorId()), stripTag(name));
    return wanted.stream().anyMatch(w -> !w.isEmpty() && forms.contains(w));
  }

  private boolean labels(Event e) {
    for (String l : byKey.getOrDefault("label", List.of())) {
      int eq = l.indexOf('=');
      boolean has = eq < 0 ? e.attributes().containsKey(l) : l.substring(eq + 1).equals(e.attributes().get(l.substring(0, eq)));
      if (!has) return false;
    }
    return true;
  }

  /** {@code busybox:latest} → {@code busybox}; a digest or a registry port stays. */
  private static String stripTag(String ref) {
    if (ref.contains("@") || ref.startsWith("sha256:")) return ref;
    int colon = ref.lastIndexOf(':');
    return colon > ref.lastIndexOf('/') && colon > 0 ? ref.substring(0, colon) : ref;
  }
}
