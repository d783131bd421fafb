package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Go templates that {@code inspect -f} is used with: {@code {{.Id}}},
 * {@code {{.Config.Cmd}}}, {@code {{json .Config}}}; values print as Go's {@code fmt} would
 * ({@code [sh -c]}, {@code map[a:b]}, {@code <no value>} for a missing field).
 */
final class InspectTemplate {
  private static final Pattern ACTION = Pattern.compile("\\{\\{\\s*(json\\s+)?\\.([\\w.]*)\\s*}}");

  private InspectTemplate() {}

  static String expand(String template, JsonNode root) {
    Matcher m = ACTION.matcher(template.replace("\\t", "\t").replace("\\n", "\n"));
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      JsonNode node = root;
      for (String part : m.group(2).isEmpty() ? new String[0] : m.group(2).split("\\.")) {
        node = node == null ? null : node.get(part);
      }
      String value;
      if (m.group(1) != null) value = node == null ? "null" : new String(Json.write(node), java.nio.charset.StandardCharsets.UTF_8);
      else value = node == null || node.isMissingNode() ? "<no value>" : goText(node);
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String goText(JsonNode node) {
    if (node.isNull()) return "<nil>";
    if (node.isValueNode()) return node.asText();
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(n -> items.add(goText(n)));
      return "[" + String.join(" ", items) + "]";
    }
    List<String> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) entries.add(e.getKey() + ":" + goText(e.getValue()));
    entries.sort(null);
    return "map[" + String.join(" ", entries) + "]";
  }
}
