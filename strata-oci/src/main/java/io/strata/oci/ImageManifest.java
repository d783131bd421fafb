package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import java.util.List;
import java.util.Map;

/** An image manifest: OCI ({@code application/vnd.oci.image.manifest.v1+json}) and Docker v2 schema 2 alike. */
@JsonPropertyOrder({"schemaVersion", "mediaType", "artifactType", "config", "layers", "subject", "annotations"})
public record ImageManifest(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String mediaType,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String artifactType,
    @JsonProperty("config") Descriptor config,
    @JsonProperty("layers") List<Descriptor> layers,
    @JsonProperty("subject") Descriptor subject,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations)
    implements ManifestDocument {

  /** A parse bound, far above what overlay can mount (Docker stops near 125 layers). */
  public static final int MAX_LAYERS = 1000;

  public ImageManifest {
    if (schemaVersion != 2) {
      throw new InvalidArgumentException("manifest: unsupported schemaVersion " + schemaVersion);
    }
    if (mediaType != null && !mediaType.isEmpty() && !MediaTypes.isManifest(mediaType)) {
      throw new InvalidArgumentException("manifest: mediaType " + Values.quote(mediaType) + " is not an image manifest type");
    }
    if (config == null) throw new InvalidArgumentException("manifest: config is required");
    if (layers == null) throw new InvalidArgumentException("manifest: layers is required");
    if (layers.size() > MAX_LAYERS) {
      throw new ResourceExhaustedException("manifest: " + layers.size() + " layers exceed the limit of " + MAX_LAYERS);
    }
    layers = Values.list(layers, "manifest layers");
    annotations = Values.map(annotations, "manifest annotations");
  }

  /** A new OCI or Docker manifest with just config and layers. */
  public static ImageManifest of(String mediaType, Descriptor config, List<Descriptor> layers) {
    return new ImageManifest(2, mediaType, null, config, layers, null, null);
  }

  public boolean docker() {
    return MediaTypes.DOCKER_MANIFEST.equals(mediaType);
  }

  public ImageManifest withLayers(List<Descriptor> layers) {
    return new ImageManifest(schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
  }

  public ImageManifest withConfig(Descriptor config) {
    return new ImageManifest(schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
  }

  public ImageManifest withAnnotations(Map<String, String> annotations) {
    return new ImageManifest(schemaVersion, mediaType, artifactType, config, layers, subject, annotations);
  }
}
