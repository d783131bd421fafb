package io.strata.runtime;

import io.strata.store.Event;
import java.util.HashMap;
import java.util.Map;

/**
 * A container's events as Docker's daemon logs them ({@code LogContainerEventWithAttributes}): the
 * container's labels, the event's own attributes ({@code exitCode}, {@code signal}, ...), then
 * {@code image} (as the user named it) and {@code name}.
 */
final class ContainerEvents {
  private ContainerEvents() {}

  static Event of(Container c, String action) {
    return of(c, action, Map.of());
  }

  static Event of(Container c, String action, Map<String, String> attributes) {
    Map<String, String> a = new HashMap<>(c.spec().labels());
    a.putAll(attributes);
    a.put("image", c.imageRef());
    a.put("name", c.name());
    return Event.of(Event.CONTAINER, action, c.id(), a);
  }

  /** A signal's number, as Docker's {@code kill} event has it ({@code signal=15}); null for no signal. */
  static String signalNumber(String signal) {
    try {
      int n = Signals.parse(signal);
      return n > 0 && n <= 64 ? Integer.toString(n) : null;
    } catch (io.strata.errdefs.InvalidArgumentException e) {
      return null;
    }
  }
}
