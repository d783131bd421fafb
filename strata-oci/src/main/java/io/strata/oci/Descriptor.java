package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.strata.errdefs.InvalidArgumentException;
import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor: what a blob is, its digest and size. {@code data} is the embedded
 * content as base64 (padded), kept as text so a parsed descriptor writes back what it read.
 */
@JsonPropertyOrder({"mediaType", "digest", "size", "urls", "annotations", "data", "platform", "artifactType"})
public record Descriptor(
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("digest") Digest digest,
    @JsonProperty("size") long size,
    @JsonProperty("urls") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> urls,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations,
    @JsonProperty("platform") Platform platform,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String artifactType,
    @JsonProperty("data") @JsonInclude(JsonInclude.Include.NON_EMPTY) String data) {

  public Descriptor {
    Values.requireMediaType(mediaType, "descriptor");
    if (digest == null) throw new InvalidArgumentException("descriptor: digest is required");
    if (size < 0) throw new InvalidArgumentException("descriptor " + digest + ": negative size " + size);
    if (artifactType != null && !artifactType.isEmpty()) {
      Values.requireMediaType(artifactType, "descriptor " + digest + " artifactType");
    }
    if (data != null && !Base64Text.isPadded(data)) {
      throw new InvalidArgumentException("descriptor " + digest + ": data is not padded base64");
    }
    urls = Values.list(urls, "descriptor urls");
    annotations = Values.map(annotations, "descriptor annotations");
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null, null, null, null);
  }

  public Descriptor withMediaType(String mediaType) {
    return new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType, data);
  }

  public Descriptor withPlatform(Platform platform) {
    return new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType, data);
  }

  public Descriptor withAnnotations(Map<String, String> annotations) {
    return new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType, data);
  }

  /** The value of one annotation, or null. */
  public String annotation(String key) {
    return annotations == null ? null : annotations.get(key);
  }
}
