package io.strata.image;

import io.strata.oci.Digest;

/** One line of {@code docker rmi} output: either a tag removed ({@code untagged}) or an image deleted. */
public record DeleteResult(String untagged, Digest deleted) {
  public static DeleteResult untagged(String familiarRef) {
    return new DeleteResult(familiarRef, null);
  }

  public static DeleteResult deleted(Digest id) {
    return new DeleteResult(null, id);
  }
}
