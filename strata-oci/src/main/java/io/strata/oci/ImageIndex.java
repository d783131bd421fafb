package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import java.util.List;
import java.util.Map;

/** An OCI image index or a Docker manifest list. */
@JsonPropertyOrder({"schemaVersion", "mediaType", "artifactType", "manifests", "subject", "annotations"})
public record ImageIndex(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String mediaType,
    @JsonProperty("artifactType") @JsonInclude(JsonInclude.Include.NON_EMPTY) String artifactType,
    @JsonProperty("manifests") List<Descriptor> manifests,
    @JsonProperty("subject") Descriptor subject,
    @JsonProperty("annotations") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations)
    implements ManifestDocument {

  /** A parse bound on the number of entries (S21 asks for a limit; 10^4 is far above real indexes). */
  public static final int MAX_MANIFESTS = 10_000;

  public ImageIndex {
    if (schemaVersion != 2) {
      throw new InvalidArgumentException("index: unsupported schemaVersion " + schemaVersion);
    }
    if (mediaType != null && !mediaType.isEmpty() && !MediaTypes.isIndex(mediaType)) {
      throw new InvalidArgumentException("index: mediaType " + Values.quote(mediaType) + " is not an index type");
    }
    if (manifests == null) throw new InvalidArgumentException("index: manifests is required");
    if (manifests.size() > MAX_MANIFESTS) {
      throw new ResourceExhaustedException("index: " + manifests.size() + " entries exceed the limit of " + MAX_MANIFESTS);
    }
    manifests = Values.list(manifests, "index manifests");
    annotations = Values.map(annotations, "index annotations");
  }

  /** A new index (OCI or Docker manifest list) over {@code manifests}. */
  public static ImageIndex of(String mediaType, List<Descriptor> manifests) {
    return new ImageIndex(2, mediaType, null, manifests, null, null);
  }

  public ImageIndex withManifests(List<Descriptor> manifests) {
    return new ImageIndex(schemaVersion, mediaType, artifactType, manifests, subject, annotations);
  }

  public ImageIndex withAnnotations(Map<String, String> annotations) {
    return new ImageIndex(schemaVersion, mediaType, artifactType, manifests, subject, annotations);
  }
}
