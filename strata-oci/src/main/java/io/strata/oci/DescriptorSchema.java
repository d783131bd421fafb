package io.strata.oci;

import static io.strata.oci.SchemaCheck.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import java.net.URI;
import java.net.URISyntaxException;

/** The content-descriptor schema (and the index's platform object), checked by hand. */
final class DescriptorSchema {
  private DescriptorSchema() {}

  static void check(JsonNode node, String at) {
    SchemaCheck.object(node, at);
    SchemaCheck.mediaType(node, "mediaType", true, at);
    if (SchemaCheck.integer(node, "size", true, at) < 0) throw fail(at + ".size", "must not be negative");
    digest(node, at);
    SchemaCheck.array(node, "urls", false, false, at, DescriptorSchema::url);
    String data = SchemaCheck.string(node, "data", false, at);
    if (data != null && !Base64Text.isPadded(data)) throw fail(at + ".data", "must be padded base64");
    SchemaCheck.mediaType(node, "artifactType", false, at);
    SchemaCheck.stringMap(node, "annotations", false, at);
    JsonNode platform = SchemaCheck.field(node, "platform", false, false, at);
    if (platform != null) platform(platform, at + ".platform");
  }

  static void platform(JsonNode node, String at) {
    SchemaCheck.object(node, at);
    SchemaCheck.string(node, "architecture", true, at);
    SchemaCheck.string(node, "os", true, at);
    SchemaCheck.string(node, "os.version", false, at);
    SchemaCheck.strings(node, "os.features", false, at);
    SchemaCheck.string(node, "variant", false, at);
  }

  /** Grammar of the OCI digest, plus go-digest's hex check for sha256 and sha512. */
  private static void digest(JsonNode node, String at) {
    String d = SchemaCheck.string(node, "digest", true, at);
    try {
      Digest.parse(d);
    } catch (InvalidArgumentException e) {
      throw fail(at + ".digest", e.getMessage());
    }
  }

  private static void url(JsonNode v, String at) {
    SchemaCheck.requireString(v, at);
    try {
      URI uri = new URI(v.textValue());
      if (!uri.isAbsolute()) throw fail(at, "not an absolute URI: " + Values.quote(v.textValue()));
    } catch (URISyntaxException e) {
      throw fail(at, "not a URI: " + Values.quote(v.textValue()));
    }
  }
}
