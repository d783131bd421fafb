package io.strata.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.strata.oci.Json;
import io.strata.errdefs.NotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code strata inspect} / {@code image inspect}: docker's JSON array, indented by four spaces.
 * Names that do not resolve are reported on stderr (exit 1) after the array of those that do.
 */
final class InspectCommand extends CliCommand {
  private enum Kind { IMAGE, CONTAINER, ANY }

  private final Kind kind;

  InspectCommand(Session session) {
    this(session, "Display detailed information on one or more images or containers", Kind.ANY);
  }

  /** {@code image inspect}: images only. */
  static InspectCommand images(Session session) {
    return new InspectCommand(session, "Display detailed information on one or more images", Kind.IMAGE);
  }

  /** {@code container inspect}: containers only. */
  static InspectCommand containers(Session session) {
    return new InspectCommand(session, "Display detailed information on one or more containers", Kind.CONTAINER);
  }

  private InspectCommand(Session session, String description, Kind kind) {
    super(session, "inspect", description);
    this.kind = kind;
    option("FORMAT", "Format output: 'json' (default) or a template such as '{{.Id}}', '{{json .Config}}'",
        "-f", "--format");
    positional("0..*", "1..*", "IMAGE", "Images to inspect");
  }

  @Override
  public Integer call() throws IOException {
    List<JsonNode> found = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    String format = value("--format");
    for (String name : args(0)) {
      try {
        found.add(inspect(name));
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    PrintWriter out = session.out();
    if (format == null || format.isBlank() || format.strip().equals("json")) {
      ArrayNode array = Json.mapper().createArrayNode().addAll(found);
      out.println(pretty(array));
    } else {
      for (JsonNode node : found) out.println(InspectTemplate.expand(format, node));
    }
    out.flush();
    int code = ExitCodes.OK;
    for (RuntimeException e : failures) code = Cli.reportFailure(session.streams(), e);
    return code;
  }

  /**
   * An image by that name, else (for the top-level {@code inspect}, as Docker's) a container. The
   * not-found messages are the docker client's, with the name as typed.
   */
  private JsonNode inspect(String name) {
    if (kind == Kind.CONTAINER) return session.containers().inspect(name);
    try {
      return Json.mapper().valueToTree(session.images().inspect(name));
    } catch (NotFoundException e) {
      if (kind == Kind.IMAGE) throw new NotFoundException("No such image: " + name);
      try {
        return session.containers().inspect(name);
      } catch (NotFoundException again) {
        throw new NotFoundException("No such object: " + name);
      }
    }
  }

  /** Go's {@code json.MarshalIndent(v, "", "    ")} layout: four spaces, "key": value. */
  static String pretty(JsonNode node) throws IOException {
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withObjectIndenter(new DefaultIndenter("    ", "\n"))
        .withArrayIndenter(new DefaultIndenter("    ", "\n"));
    String text = Json.mapper().writer(printer).writeValueAsString(node);
    return text.replace("[ ]", "[]").replace("{ }", "{}");
  }
}
