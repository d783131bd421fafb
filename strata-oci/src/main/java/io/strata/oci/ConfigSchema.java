package io.strata.oci;

import static io.strata.oci.SchemaCheck.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The image-config schema with Docker's extra fields. JSON null is accepted wherever Go would
 * read it as "absent": Docker wrote {@code "Cmd": null}, {@code "Volumes": null} for years.
 */
final class ConfigSchema {
  /** {@code NAME=value}: a non-empty name without {@code =}, as image-spec's Env check wants. */
  private static final Pattern ENV = Pattern.compile("[^=]+=.*", Pattern.DOTALL);

  private ConfigSchema() {}

  static void check(JsonNode node, String at) {
    SchemaCheck.object(node, at);
    dateTime(node, at);
    SchemaCheck.string(node, "author", false, true, at);
    SchemaCheck.string(node, "architecture", true, at);
    SchemaCheck.string(node, "os", true, at);
    SchemaCheck.string(node, "variant", false, true, at);
    SchemaCheck.string(node, "os.version", false, true, at);
    SchemaCheck.strings(node, "os.features", true, at);
    JsonNode config = SchemaCheck.field(node, "config", false, true, at);
    if (config != null) runtime(config, at + ".config");
    rootfs(SchemaCheck.field(node, "rootfs", true, false, at), at + ".rootfs");
    SchemaCheck.array(node, "history", false, true, at, ConfigSchema::history);
  }

  private static void runtime(JsonNode c, String at) {
    SchemaCheck.object(c, at);
    SchemaCheck.string(c, "User", false, true, at);
    SchemaCheck.objectMap(c, "ExposedPorts", true, at);
    SchemaCheck.array(c, "Env", false, true, at, ConfigSchema::env);
    SchemaCheck.strings(c, "Entrypoint", true, at);
    SchemaCheck.strings(c, "Cmd", true, at);
    SchemaCheck.objectMap(c, "Volumes", true, at);
    SchemaCheck.string(c, "WorkingDir", false, true, at);
    SchemaCheck.stringMap(c, "Labels", true, at);
    SchemaCheck.string(c, "StopSignal", false, true, at);
    SchemaCheck.bool(c, "ArgsEscaped", true, at);
    SchemaCheck.strings(c, "OnBuild", true, at);
    SchemaCheck.strings(c, "Shell", true, at);
    JsonNode health = SchemaCheck.field(c, "Healthcheck", false, true, at);
    if (health != null) healthcheck(health, at + ".Healthcheck");
  }

  private static void healthcheck(JsonNode h, String at) {
    SchemaCheck.object(h, at);
    SchemaCheck.strings(h, "Test", true, at);
    for (String d : new String[] {"Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"}) {
      JsonNode v = SchemaCheck.field(h, d, false, true, at);
      if (v != null && (!v.isIntegralNumber() || !v.canConvertToLong())) throw fail(at + "." + d, "must be an integer");
    }
  }

  private static void env(JsonNode v, String at) {
    SchemaCheck.requireString(v, at);
    if (!ENV.matcher(v.textValue()).matches()) {
      throw fail(at, "env entry " + Values.quote(v.textValue()) + " is not NAME=value");
    }
  }

  private static void rootfs(JsonNode r, String at) {
    SchemaCheck.object(r, at);
    String type = SchemaCheck.string(r, "type", true, at);
    if (!RootFs.LAYERS.equals(type)) throw fail(at + ".type", "must be \"layers\", not " + Values.quote(type));
    SchemaCheck.array(r, "diff_ids", true, true, at, (v, p) -> {
      SchemaCheck.requireString(v, p);
      try {
        Digest.parse(v.textValue());
      } catch (InvalidArgumentException e) {
        throw fail(p, e.getMessage());
      }
    });
  }

  private static void history(JsonNode h, String at) {
    SchemaCheck.object(h, at);
    dateTime(h, at);
    SchemaCheck.string(h, "author", false, true, at);
    SchemaCheck.string(h, "created_by", false, true, at);
    SchemaCheck.string(h, "comment", false, true, at);
    SchemaCheck.bool(h, "empty_layer", false, at);
  }

  /** {@code created}: RFC 3339 date-time, as JSON Schema's {@code date-time} format. */
  private static void dateTime(JsonNode node, String at) {
    String created = SchemaCheck.string(node, "created", false, true, at);
    if (created == null) return;
    try {
      OffsetDateTime.parse(created);
    } catch (DateTimeParseException e) {
      throw fail(at + ".created", "not an RFC 3339 date-time: " + Values.quote(created));
    }
  }
}
