package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import java.io.IOException;

/**
 * The one JSON configuration strata uses. Duplicate keys are rejected (CVE-2014-8179: the bytes
 * that were verified must be the bytes that are parsed), nesting and string sizes are bounded,
 * unknown fields are ignored, nulls and empty optionals are not written.
 */
public final class Json {
  /** Manifests and configs larger than this are refused (distribution accepts 4 MiB manifests). */
  public static final int MAX_DOCUMENT_BYTES = 8 << 20;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // "size": "7682" or "os": 123 are schema violations, not values to convert
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64)
        .maxStringLength(MAX_DOCUMENT_BYTES)
        .build());
  }

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses {@code raw} as {@code type}; {@code what} names the document in errors. */
  public static <T> T read(byte[] raw, Class<T> type, String what) {
    checkSize(raw, what);
    try {
      return MAPPER.readValue(raw, type);
    } catch (IOException e) {
      throw invalid(what, e);
    }
  }

  /** Parses {@code raw} as a tree (same bounds and duplicate-key rule as {@link #read}). */
  public static JsonNode readTree(byte[] raw, String what) {
    checkSize(raw, what);
    try {
      JsonNode node = MAPPER.readTree(raw);
      if (node == null || node.isMissingNode()) throw new InvalidArgumentException(what + ": empty document");
      return node;
    } catch (IOException e) {
      throw invalid(what, e);
    }
  }

  /** Binds an already checked tree to {@code type}. */
  public static <T> T bind(JsonNode node, Class<T> type, String what) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException e) {
      throw invalid(what, e);
    }
  }

  /** Errors raised by record constructors during binding keep their kind. */
  private static RuntimeException invalid(String what, IOException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ResourceExhaustedException r) return r;
      if (t instanceof InvalidArgumentException i) return new InvalidArgumentException(what + ": " + i.getMessage(), e);
    }
    return new InvalidArgumentException(what + ": invalid JSON: " + firstLine(e.getMessage()), e);
  }

  private static void checkSize(byte[] raw, String what) {
    if (raw.length > MAX_DOCUMENT_BYTES) {
      throw new ResourceExhaustedException(what + ": document of " + raw.length + " bytes exceeds " + MAX_DOCUMENT_BYTES);
    }
  }

  /** Compact serialisation (the form strata writes for new documents). */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
