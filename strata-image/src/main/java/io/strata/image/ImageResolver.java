package io.strata.image;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import io.strata.oci.Reference;
import io.strata.store.ImageRecord;
import io.strata.store.Store;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds an image the way docker's {@code GetImage} does: a full ID ({@code sha256:…} or 64 hex),
 * a name ({@code busybox} = {@code docker.io/library/busybox:latest}), {@code name@digest} by
 * the registry digest a pull or push recorded or the manifest digest, and finally any unique hex prefix of an ID (with or without {@code sha256:}).
 */
final class ImageResolver {
  private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[0-9a-f]{1,64}");

  /** How a name resolved: {@code tag} is the full stored reference when it named a tag, else null. */
  record Resolved(Digest id, String tag) {}

  private final Store store;

  ImageResolver(Store store) {
    this.store = store;
  }

  Resolved resolve(String nameOrId) {
    if (nameOrId == null || nameOrId.isBlank()) throw new InvalidArgumentException("image name is empty");
    Reference ref = parse(nameOrId);
    if (ref != null && !ref.hasName()) {
      return byPrefix(nameOrId, ref.digest().toString());
    }
    if (ref != null && ref.digest() != null) {
      return byManifestDigest(nameOrId, ref);
    }
    if (ref != null) {
      String full = ref.tag() == null ? ref.withTag(Reference.DEFAULT_TAG).toString() : ref.toString();
      var tagged = store.images().resolveTag(full);
      if (tagged.isPresent()) return new Resolved(tagged.get(), full);
    }
    if (HEX_PREFIX.matcher(nameOrId).matches()) return byPrefix(nameOrId, nameOrId);
    throw notFound(nameOrId);
  }

  /** Null when the text is no reference but may still be an ID prefix ({@code sha256:abc}). */
  private static Reference parse(String s) {
    try {
      return Reference.parseAnyReference(s);
    } catch (InvalidArgumentException e) {
      if (HEX_PREFIX.matcher(s).matches()) return null;
      throw new InvalidArgumentException("invalid reference format: " + s + ": " + e.getMessage(), e);
    }
  }

  private Resolved byPrefix(String given, String prefix) {
    List<ImageRecord> found = store.images().findByIdPrefix(prefix);
    if (found.isEmpty()) throw notFound(given);
    if (found.size() > 1) {
      throw new InvalidArgumentException("image " + given + ": multiple IDs found with provided prefix");
    }
    return new Resolved(found.getFirst().id(), null);
  }

  /** {@code name@digest}: a registry digest a pull or push recorded for that name, else any image's own manifest. */
  private Resolved byManifestDigest(String given, Reference ref) {
    Digest digest = ref.digest();
    var recorded = store.images().resolveRepoDigest(ref.name(), digest);
    if (recorded.isPresent()) return new Resolved(recorded.get(), null);
    return store.images().list().stream()
        .filter(r -> r.manifestDigest().equals(digest))
        .findFirst()
        .map(r -> new Resolved(r.id(), null))
        .orElseThrow(() -> notFound(given));
  }

  /**
   * Docker's daemon message (ErrImageDoesNotExist): a name as docker shows it, tagged
   * {@code latest} when it has neither tag nor digest ({@code No such image: busybox:latest}).
   */
  static NotFoundException notFound(String given) {
    return new NotFoundException("No such image: " + shown(given));
  }

  private static String shown(String given) {
    try {
      Reference ref = Reference.parseAnyReference(given);
      if (ref.hasName() && ref.tag() == null && ref.digest() == null) ref = ref.withTag(Reference.DEFAULT_TAG);
      return ref.familiarString();
    } catch (InvalidArgumentException e) {
      return given; // an ID prefix such as sha256:abc
    }
  }
}
