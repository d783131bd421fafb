package io.strata.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import java.util.function.BiConsumer;

/**
 * Typed access to JSON fields for the hand-written schemas; every failure names the document and
 * the JSON path ({@code manifest: layers[0].size: ...}). Package-private.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  static InvalidArgumentException fail(String at, String problem) {
    return new InvalidArgumentException(at + ": " + problem);
  }

  static JsonNode object(JsonNode node, String at) {
    if (node == null || !node.isObject()) throw fail(at, "must be an object");
    return node;
  }

  /** The field, or null when absent; JSON null counts as absent only when {@code nullable}. */
  static JsonNode field(JsonNode obj, String name, boolean required, boolean nullable, String at) {
    JsonNode v = obj.get(name);
    if (v == null || (nullable && v.isNull())) {
      if (required) throw fail(at, "missing required field \"" + name + "\"");
      return null;
    }
    if (v.isNull()) throw fail(at + "." + name, "must not be null");
    return v;
  }

  static String string(JsonNode obj, String name, boolean required, String at) {
    return string(obj, name, required, false, at);
  }

  static String string(JsonNode obj, String name, boolean required, boolean nullable, String at) {
    JsonNode v = field(obj, name, required, nullable, at);
    if (v == null) return null;
    if (!v.isTextual()) throw fail(at + "." + name, "must be a string");
    return v.textValue();
  }

  static void bool(JsonNode obj, String name, boolean nullable, String at) {
    JsonNode v = field(obj, name, false, nullable, at);
    if (v != null && !v.isBoolean()) throw fail(at + "." + name, "must be a boolean");
  }

  static long integer(JsonNode obj, String name, boolean required, String at) {
    JsonNode v = field(obj, name, required, false, at);
    if (v == null) return 0;
    if (!v.isIntegralNumber() || !v.canConvertToLong()) throw fail(at + "." + name, "must be an integer");
    return v.longValue();
  }

  static void mediaType(JsonNode obj, String name, boolean required, String at) {
    String mt = string(obj, name, required, at);
    if (mt != null && !Values.MEDIA_TYPE.matcher(mt).matches()) {
      throw fail(at + "." + name, "invalid media type " + Values.quote(mt));
    }
  }

  /** An array; each element is passed to {@code each} with its path. Returns the size, -1 if absent. */
  static int array(JsonNode obj, String name, boolean required, boolean nullable, String at,
      BiConsumer<JsonNode, String> each) {
    JsonNode v = field(obj, name, required, nullable, at);
    if (v == null) return -1;
    if (!v.isArray()) throw fail(at + "." + name, "must be an array");
    for (int i = 0; i < v.size(); i++) each.accept(v.get(i), at + "." + name + "[" + i + "]");
    return v.size();
  }

  static int strings(JsonNode obj, String name, boolean nullable, String at) {
    return array(obj, name, false, nullable, at, SchemaCheck::requireString);
  }

  static void requireString(JsonNode v, String at) {
    if (v == null || !v.isTextual()) throw fail(at, "must be a string");
  }

  /** An object whose every value passes {@code each} ({@code mapStringString}, {@code mapStringObject}). */
  static void map(JsonNode obj, String name, boolean nullable, String at, BiConsumer<JsonNode, String> each) {
    JsonNode v = field(obj, name, false, nullable, at);
    if (v == null) return;
    if (!v.isObject()) throw fail(at + "." + name, "must be an object");
    v.properties().forEach(e -> each.accept(e.getValue(), at + "." + name + "[" + Values.quote(e.getKey()) + "]"));
  }

  static void stringMap(JsonNode obj, String name, boolean nullable, String at) {
    map(obj, name, nullable, at, SchemaCheck::requireString);
  }

  /** Docker's string sets: {@code {"80/tcp": {}}}. */
  static void objectMap(JsonNode obj, String name, boolean nullable, String at) {
    map(obj, name, nullable, at, (v, p) -> {
      if (!v.isObject()) throw fail(p, "must be an object");
    });
  }
}
