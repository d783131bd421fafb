package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.strata.errdefs.InvalidArgumentException;
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
    if (raw.length > MAX_DOCUMENT_BYTES) {
      throw new InvalidArgumentException(what + ": document of " + raw.length + " bytes exceeds " + MAX_DOCUMENT_BYTES);
    }
    try {
      return MAPPER.readValue(raw, type);
    } catch (IOException e) {
      throw new InvalidArgumentException(what + ": invalid JSON: " + firstLine(e.getMessage()), e);
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
