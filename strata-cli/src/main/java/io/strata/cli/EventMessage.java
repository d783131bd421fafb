package io.strata.cli;

import io.strata.cli.template.Struct;
import io.strata.cli.template.Values;
import io.strata.store.Event;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * One journaled event as Docker's API sends it ({@code events.Message}) for {@code events --format}:
 * {@code .Type}, {@code .Action}, {@code .Actor.ID}, {@code .Actor.Attributes}, {@code .Scope},
 * {@code .Time}, {@code .TimeNano}, and for containers and images the old {@code .Status},
 * {@code .ID} and {@code .From}; {@code {{json .}}} has Go's field order and names.
 */
record EventMessage(Event event) implements Struct {
  /** Go's {@code RFC3339NanoFixed} in the local zone, as the Docker CLI prints an event's time. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

  private boolean legacy() {
    return event.type().equals(Event.CONTAINER) || event.type().equals(Event.IMAGE);
  }

  /** Docker's default line: {@code TIME TYPE ACTION ID (k=v, k=v)}, attributes sorted by key. */
  String line(ZoneId zone) {
    StringBuilder sb = new StringBuilder(TIME.format(event.time().atZone(zone)))
        .append(' ').append(event.type()).append(' ').append(event.action()).append(' ').append(event.actorId());
    if (!event.attributes().isEmpty()) {
      StringBuilder attrs = new StringBuilder();
      event.attributes().forEach((k, v) -> attrs.append(attrs.isEmpty() ? "" : ", ").append(k).append('=').append(v));
      sb.append(" (").append(attrs).append(')');
    }
    return sb.toString();
  }

  @Override
  public String goType() {
    return "events.Message";
  }

  @Override
  public Object member(String name) {
    return switch (name) {
      case "Status" -> legacy() ? event.action() : "";
      case "ID" -> legacy() ? event.actorId() : "";
      case "From" -> event.type().equals(Event.CONTAINER) ? event.attributes().getOrDefault("image", "") : "";
      case "Type" -> event.type();
      case "Action" -> event.action();
      case "Actor" -> new Actor(event.actorId(), event.attributes());
      case "Scope" -> "local";
      case "Time" -> event.time().getEpochSecond();
      case "TimeNano" -> event.timeNano();
      default -> null;
    };
  }

  @Override
  public java.util.Collection<String> fieldNames() {
    return List.of("Status", "ID", "From", "Type", "Action", "Actor", "Scope", "Time", "TimeNano");
  }

  /** Go's encoding of {@code events.Message}: declaration order, the legacy fields omitted when empty. */
  @Override
  public String json() {
    StringBuilder sb = new StringBuilder("{");
    for (String[] f : new String[][] {{"status", "Status"}, {"id", "ID"}, {"from", "From"}}) {
      String v = (String) member(f[1]);
      if (!v.isEmpty()) field(sb, f[0]).append(quoted(v)).append(',');
    }
    field(sb, "Type").append(quoted(event.type())).append(',');
    field(sb, "Action").append(quoted(event.action())).append(',');
    field(sb, "Actor").append(new Actor(event.actorId(), event.attributes()).json()).append(',');
    field(sb, "scope").append("\"local\",");
    field(sb, "time").append(event.time().getEpochSecond()).append(',');
    field(sb, "timeNano").append(event.timeNano());
    return sb.append('}').toString();
  }

  private static StringBuilder field(StringBuilder sb, String name) {
    return sb.append(quoted(name)).append(':');
  }

  static String quoted(String s) {
    StringBuilder sb = new StringBuilder();
    JsonLine.quote(sb, s);
    return sb.toString();
  }

  /** Docker's {@code events.Actor}: the object's ID and the event's attributes. */
  record Actor(String id, Map<String, String> attributes) implements Struct {
    @Override
    public String goType() {
      return "events.Actor";
    }

    @Override
    public Object member(String name) {
      return switch (name) {
        case "ID" -> id;
        case "Attributes" -> Values.of(attributes);
        default -> null;
      };
    }

    @Override
    public java.util.Collection<String> fieldNames() {
      return List.of("ID", "Attributes");
    }

    @Override
    public String json() {
      StringBuilder sb = new StringBuilder("{\"ID\":").append(quoted(id)).append(",\"Attributes\":{");
      boolean first = true;
      for (Map.Entry<String, String> e : attributes.entrySet()) { // sorted, as Go marshals a map
        if (!first) sb.append(',');
        first = false;
        sb.append(quoted(e.getKey())).append(':').append(quoted(e.getValue()));
      }
      return sb.append("}}").toString();
    }
  }
}
