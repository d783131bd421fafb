package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/** The image config's {@code rootfs}: the diffIDs (digests of uncompressed layers), bottom first. */
@JsonPropertyOrder({"type", "diff_ids"})
public record RootFs(@JsonProperty("type") String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
  public static final String LAYERS = "layers";

  public RootFs {
    if (type == null) throw new InvalidArgumentException("rootfs: type is required");
    diffIds = Values.list(diffIds == null ? List.of() : diffIds, "rootfs diff_ids");
  }

  public static RootFs of(List<Digest> diffIds) {
    return new RootFs(LAYERS, diffIds);
  }

  public RootFs withDiffId(Digest diffId) {
    List<Digest> more = new ArrayList<>(diffIds);
    more.add(diffId);
    return new RootFs(type, more);
  }
}
