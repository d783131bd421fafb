package io.strata.image;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Reference;
import java.util.List;

/** Docker's naming rules: tags are stored as full references and shown in familiar form. */
final class ImageNames {
  private ImageNames() {}

  /** A tag to store: {@code busybox} → {@code docker.io/library/busybox:latest}. Digests are refused. */
  static Reference tagReference(String name, String what) {
    Reference ref;
    try {
      ref = Reference.parseNormalizedNamed(name);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(what + ": invalid reference format: " + e.getMessage(), e);
    }
    if (ref.digest() != null) {
      throw new InvalidArgumentException(what + " " + quote(name) + ": a tag cannot contain a digest");
    }
    return ref.tag() == null ? ref.withTag(Reference.DEFAULT_TAG) : ref;
  }

  /** {@code docker.io/library/busybox:latest} → {@code busybox:latest}. */
  static String familiar(String fullRef) {
    return Reference.parse(fullRef).familiarString();
  }

  static List<String> familiar(List<String> fullRefs) {
    return fullRefs.stream().map(ImageNames::familiar).toList();
  }

  /** The repository part of a stored tag ({@code docker.io/library/busybox}). */
  static String repository(String fullRef) {
    return Reference.parse(fullRef).name();
  }

  static String quote(String s) {
    return "\"" + s + "\"";
  }
}
