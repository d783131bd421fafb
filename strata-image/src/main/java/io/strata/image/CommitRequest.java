package io.strata.image;

import io.strata.oci.ContainerConfig;
import java.util.List;

/**
 * What {@code commit} records besides the layer: the runtime config the new image runs with
 * (the container's, before {@code changes}), Docker's {@code -c} changes, the history entry's
 * author, comment and created_by, and the name to tag (null: dangling).
 */
public record CommitRequest(ContainerConfig config, List<String> changes, String author, String comment,
    String createdBy, String reference) {
  public CommitRequest {
    changes = changes == null ? List.of() : List.copyOf(changes);
  }
}
