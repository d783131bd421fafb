package io.strata.image;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.store.BlobInfo;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a spooled archive: small metadata files kept in memory, every other file a blob
 * in the content store, and symlinks/hardlinks between members (Docker 25 links
 * {@code <id>/layer.tar} to {@code blobs/sha256/…}). Paths are cleaned ({@link #clean}).
 */
final class ArchiveMembers {
  private static final int MAX_LINK_HOPS = 16;

  /** A regular file: exactly one of {@code blob} and {@code bytes} is set. */
  record Member(String path, BlobInfo blob, byte[] bytes) {}

  private final Store store;
  private final Map<String, Member> files = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();
  private final Map<Digest, BlobInfo> blobs = new HashMap<>();
  private final List<String> order = new ArrayList<>();

  ArchiveMembers(Store store) {
    this.store = store;
  }

  void addFile(Member m) {
    links.remove(m.path());
    if (files.put(m.path(), m) == null) order.add(m.path());
    if (m.blob() != null) blobs.put(m.blob().digest(), m.blob());
  }

  void addLink(String path, String target) {
    files.remove(path);
    links.put(path, target);
  }

  boolean has(String path) {
    return find(path).isPresent();
  }

  /** The regular file at {@code path}, following member links. */
  Optional<Member> find(String path) {
    String p = clean(path);
    for (int hops = 0; p != null && hops <= MAX_LINK_HOPS; hops++) {
      Member m = files.get(p);
      if (m != null) return Optional.of(m);
      p = links.get(p);
    }
    return Optional.empty();
  }

  /** A spooled member whose content has this digest. */
  Optional<BlobInfo> blob(Digest digest) {
    return Optional.ofNullable(blobs.get(digest));
  }

  /** The bytes of a JSON member, bounded by {@link Json#MAX_DOCUMENT_BYTES}. */
  byte[] bytes(Member m) {
    if (m.bytes() != null) return m.bytes();
    return blobBytes(m.blob(), m.path());
  }

  byte[] blobBytes(BlobInfo blob, String what) {
    if (blob.size() > Json.MAX_DOCUMENT_BYTES) {
      throw new InvalidArgumentException("load: " + what + ": document of " + blob.size() + " bytes is too large");
    }
    try (InputStream in = store.content().open(blob.digest())) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw IngestSession.io("load: read " + what, e);
    }
  }

  /**
   * An archive path without {@code ./}, leading or doubled slashes and resolved {@code ..};
   * null when it climbs above the archive root.
   */
  static String clean(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) {
        if (parts.isEmpty()) return null;
        parts.removeLast();
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /** The target of a symlink at {@code path}, as an archive path (relative to the link's directory). */
  static String symlinkTarget(String path, String target) {
    if (target.startsWith("/")) return clean(target);
    int slash = path.lastIndexOf('/');
    return clean((slash < 0 ? "" : path.substring(0, slash + 1)) + target);
  }
}
