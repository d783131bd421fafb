package io.strata.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.ContainerConfig;
import io.strata.oci.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Dockerfile instructions {@code docker import -c} / {@code docker commit -c} accept, applied
 * to an image's runtime config: CMD, ENTRYPOINT (JSON or shell form, the latter run through
 * {@code /bin/sh -c}), ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR.
 */
final class ImportChanges {
  private static final int MAX_PORT_RANGE = 65_536;

  private ImportChanges() {}

  static ContainerConfig apply(ContainerConfig config, List<String> changes) {
    ContainerConfig c = config;
    for (String change : changes) c = apply(c, change);
    return c;
  }

  private static ContainerConfig apply(ContainerConfig c, String change) {
    String line = change.strip();
    int space = indexOfSpace(line);
    String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    String rest = space < 0 ? "" : line.substring(space).strip();
    if (keyword.isEmpty()) throw invalid(change, "empty change");
    if (rest.isEmpty()) throw invalid(change, keyword + " requires at least one argument");
    return switch (keyword) {
      case "CMD" -> c.withCmd(command(rest));
      case "ENTRYPOINT" -> c.withEntrypoint(command(rest));
      case "ENV" -> c.withEnv(env(c.env(), rest, change));
      case "EXPOSE" -> c.withExposedPorts(ports(c.exposedPorts(), rest, change));
      case "LABEL" -> c.withLabels(labels(c.labels(), rest, change));
      case "ONBUILD" -> c.withOnBuild(append(c.onBuild(), rest));
      case "STOPSIGNAL" -> c.withStopSignal(rest);
      case "USER" -> c.withUser(rest);
      case "VOLUME" -> c.withVolumes(volumes(c.volumes(), rest));
      case "WORKDIR" -> c.withWorkingDir(workdir(c.workingDir(), rest));
      default -> throw invalid(change, keyword + " is not a valid change command");
    };
  }

  /** JSON form when the text is a JSON array of strings, else shell form. */
  static List<String> command(String rest) {
    List<String> json = jsonArray(rest);
    return json != null ? json : List.of("/bin/sh", "-c", rest);
  }

  private static List<String> jsonArray(String rest) {
    if (!rest.startsWith("[")) return null;
    try {
      JsonNode node = Json.readTree(rest.getBytes(java.nio.charset.StandardCharsets.UTF_8), "change");
      if (!node.isArray()) return null;
      List<String> out = new ArrayList<>();
      for (JsonNode n : node) {
        if (!n.isTextual()) return null;
        out.add(n.asText());
      }
      return out;
    } catch (InvalidArgumentException e) {
      return null;
    }
  }

  /** {@code ENV k=v k2="v 2"}, or the legacy one-pair form {@code ENV k the value}. */
  private static List<String> env(List<String> current, String rest, String change) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String kv : current == null ? List.<String>of() : current) {
      int eq = kv.indexOf('=');
      vars.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    }
    vars.putAll(pairs(rest, change, true));
    List<String> out = new ArrayList<>();
    vars.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static Map<String, String> labels(Map<String, String> current, String rest, String change) {
    Map<String, String> labels = new LinkedHashMap<>(current == null ? Map.of() : current);
    labels.putAll(pairs(rest, change, true));
    return labels;
  }

  private static Map<String, String> pairs(String rest, String change, boolean legacyForm) {
    List<String> words = ShellWords.split(rest);
    Map<String, String> out = new LinkedHashMap<>();
    if (legacyForm && !words.getFirst().contains("=")) {
      int space = indexOfSpace(rest);
      if (space < 0) throw invalid(change, "expected KEY=VALUE or KEY VALUE");
      out.put(words.getFirst(), String.join(" ", ShellWords.split(rest.substring(space).strip())));
      return out;
    }
    for (String w : words) {
      int eq = w.indexOf('=');
      if (eq <= 0) throw invalid(change, "expected KEY=VALUE, got " + ImageNames.quote(w));
      out.put(w.substring(0, eq), w.substring(eq + 1));
    }
    return out;
  }

  private static Map<String, Map<String, Object>> ports(Map<String, Map<String, Object>> current, String rest,
      String change) {
    Map<String, Map<String, Object>> ports = new LinkedHashMap<>(current == null ? Map.of() : current);
    for (String word : ShellWords.split(rest)) {
      int slash = word.indexOf('/');
      String proto = slash < 0 ? "tcp" : word.substring(slash + 1).toLowerCase(Locale.ROOT);
      String range = slash < 0 ? word : word.substring(0, slash);
      if (!List.of("tcp", "udp", "sctp").contains(proto)) throw invalid(change, "invalid protocol " + ImageNames.quote(proto));
      int dash = range.indexOf('-');
      int first = port(dash < 0 ? range : range.substring(0, dash), change);
      int last = dash < 0 ? first : port(range.substring(dash + 1), change);
      if (last < first || last - first >= MAX_PORT_RANGE) throw invalid(change, "invalid port range " + ImageNames.quote(range));
      for (int p = first; p <= last; p++) ports.put(p + "/" + proto, Map.of());
    }
    return ports;
  }

  private static int port(String s, String change) {
    try {
      int p = Integer.parseInt(s);
      if (p >= 0 && p <= 65_535) return p;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(change, "invalid port " + ImageNames.quote(s));
  }

  private static Map<String, Map<String, Object>> volumes(Map<String, Map<String, Object>> current, String rest) {
    Map<String, Map<String, Object>> volumes = new LinkedHashMap<>(current == null ? Map.of() : current);
    List<String> json = jsonArray(rest);
    for (String v : json != null ? json : ShellWords.split(rest)) volumes.put(v, Map.of());
    return volumes;
  }

  /** As docker: joined onto the previous WORKDIR (or /) and cleaned. */
  private static String workdir(String current, String dir) {
    String base = current == null || current.isEmpty() ? "/" : current;
    return java.nio.file.Path.of("/").resolve(base).resolve(dir).normalize().toString();
  }

  private static List<String> append(List<String> current, String value) {
    List<String> out = new ArrayList<>(current == null ? List.of() : current);
    out.add(value);
    return out;
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
    return -1;
  }

  private static InvalidArgumentException invalid(String change, String what) {
    return new InvalidArgumentException("import: change " + ImageNames.quote(change) + ": " + what);
  }
}
