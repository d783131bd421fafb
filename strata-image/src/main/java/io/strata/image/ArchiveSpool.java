package io.strata.image;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.layer.Compression;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.store.BlobInfo;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an image archive (plain, gzip or zstd tar) as one stream, in whatever order its entries
 * come: metadata files into memory, every other file into the content store under the session's
 * lease, hashed on the way. Files under {@code blobs/<alg>/<hex>} must hash to their name.
 */
final class ArchiveSpool {
  static final int MAX_MEMBERS = 100_000;
  private static final Set<String> METADATA = Set.of("manifest.json", "repositories", "index.json", "oci-layout");

  private final Store store;
  private final IngestSession session;
  private final ProgressListener progress;

  ArchiveSpool(Store store, IngestSession session, ProgressListener progress) {
    this.store = store;
    this.session = session;
    this.progress = progress;
  }

  ArchiveMembers read(InputStream archive) {
    ArchiveMembers members = new ArchiveMembers(store);
    String last = null;
    int count = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Compression.decompressing(archive))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (++count > MAX_MEMBERS) {
          throw new ResourceExhaustedException("load: archive has more than " + MAX_MEMBERS + " members");
        }
        String path = ArchiveMembers.clean(e.getName());
        if (path == null) throw new InvalidArgumentException("load: member " + ImageNames.quote(e.getName())
            + ": path climbs out of the archive");
        last = path;
        if (e.isSymbolicLink()) {
          String target = ArchiveMembers.symlinkTarget(path, e.getLinkName());
          if (target != null) members.addLink(path, target);
        } else if (e.isLink()) {
          String target = ArchiveMembers.clean(e.getLinkName());
          if (target != null) members.addLink(path, target);
        } else if (e.isFile()) {
          members.addFile(spool(tar, e, path));
        }
      }
    } catch (IOException e) {
      String where = last == null ? "at its start" : "after member " + ImageNames.quote(last);
      throw new InvalidArgumentException("load: archive is truncated or not a tar (" + where + "): " + e.getMessage(), e);
    }
    if (count == 0) throw new InvalidArgumentException("load: archive is empty or not a tar");
    return members;
  }

  private ArchiveMembers.Member spool(TarArchiveInputStream tar, TarArchiveEntry e, String path) throws IOException {
    if (isMetadata(path)) {
      if (e.getSize() > Json.MAX_DOCUMENT_BYTES) {
        throw new ResourceExhaustedException("load: " + path + ": " + e.getSize() + " bytes is too large for a metadata file");
      }
      byte[] bytes = tar.readNBytes((int) e.getSize());
      if (bytes.length != e.getSize()) throw new IOException("truncated member " + path);
      return new ArchiveMembers.Member(path, null, bytes);
    }
    Digest expected = nameDigest(path);
    try {
      BlobInfo blob = session.write(tar, expected);
      if (blob.size() != e.getSize()) throw new IOException("truncated member " + path);
      progress.onEvent(path, "Loading", blob.size(), e.getSize());
      return new ArchiveMembers.Member(path, blob, null);
    } catch (FailedPreconditionException mismatch) {
      throw new InvalidArgumentException("load: " + path + ": content does not match its name: "
          + mismatch.getMessage(), mismatch);
    }
  }

  private static boolean isMetadata(String path) {
    return METADATA.contains(path) || path.endsWith("/json") || path.endsWith("/VERSION");
  }

  /** {@code blobs/sha256/<hex>} names its digest; other paths name nothing. */
  static Digest nameDigest(String path) {
    String[] parts = path.split("/");
    if (parts.length != 3 || !parts[0].equals("blobs")) return null;
    try {
      Digest d = Digest.parse(parts[1] + ":" + parts[2]);
      return d.isSupported() ? d : null;
    } catch (InvalidArgumentException e) {
      return null;
    }
  }
}
