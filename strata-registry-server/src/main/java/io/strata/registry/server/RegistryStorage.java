package io.strata.registry.server;

import io.strata.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a registry keeps its content: one content-addressed blob store shared by every repository
 * (manifests are blobs too), and per repository the links that say which blobs and manifests it
 * can see, its tags, and the referrers of its manifests. Upload sessions live here as well, so any
 * registry process sharing the storage can continue an upload another one started.
 *
 * <p>A blob is written only through a verified commit: the bytes are hashed as they are stored and
 * become visible under their digest only when it matches (a rename on a file system, the completion
 * of a multipart upload on S3), so no reader ever sees a partial or wrong blob.
 */
sealed interface RegistryStorage extends AutoCloseable permits FilesystemStorage, S3Storage {
  record BlobEntry(Digest digest, long size, Instant modified) {}

  record Upload(String id, String repository, long size, Instant started) {}

  // blobs
  Optional<Long> blobSize(Digest digest) throws IOException;

  /** {@code length} bytes from {@code offset} ({@code -1}: to the end). */
  InputStream readBlob(Digest digest, long offset, long length) throws IOException;

  /** Where a client may fetch the blob itself (a presigned URL), when the storage offers that. */
  default Optional<URI> blobRedirect(Digest digest) {
    return Optional.empty();
  }

  /**
   * Stores {@code in} (at most {@code expectedSize} bytes when known) as blob {@code expected},
   * verifying digest and size; {@link RegistryError} DIGEST_INVALID / SIZE_INVALID otherwise, and nothing stored.
   */
  long putBlob(InputStream in, Digest expected, long expectedSize) throws IOException;

  void deleteBlob(Digest digest) throws IOException;

  /** Every blob, for garbage collection. */
  void forEachBlob(java.util.function.Consumer<BlobEntry> visitor) throws IOException;

  // a repository's view
  boolean isLinked(String repo, Digest blob) throws IOException;

  void link(String repo, Digest blob) throws IOException;

  void unlink(String repo, Digest blob) throws IOException;

  /** The blobs linked in {@code repo} with the time each link was last written (linking again refreshes it). */
  List<BlobEntry> links(String repo) throws IOException;

  /** The media type a manifest of {@code repo} was put with, if {@code repo} has it. */
  Optional<String> manifestType(String repo, Digest manifest) throws IOException;

  void linkManifest(String repo, Digest manifest, String mediaType) throws IOException;

  void unlinkManifest(String repo, Digest manifest) throws IOException;

  /** The manifests of {@code repo} with the time each was last put (putting it again refreshes it); sizes are 0. */
  List<BlobEntry> manifests(String repo) throws IOException;

  Optional<Digest> tag(String repo, String tag) throws IOException;

  void putTag(String repo, String tag, Digest manifest) throws IOException;

  boolean deleteTag(String repo, String tag) throws IOException;

  /** Sorted. */
  List<String> tags(String repo) throws IOException;

  /** Sorted. */
  List<String> repositories() throws IOException;

  void addReferrer(String repo, Digest subject, Digest manifest) throws IOException;

  List<Digest> referrers(String repo, Digest subject) throws IOException;

  // uploads
  Upload startUpload(String repo) throws IOException;

  Optional<Upload> upload(String id) throws IOException;

  /**
   * Appends to the upload, which must hold exactly {@code offset} bytes (else RANGE_INVALID with
   * status 416); at most {@code maxLength} bytes of {@code in} ({@code -1}: to its end). Returns the new size.
   */
  long append(String id, long offset, InputStream in, long maxLength) throws IOException;

  /** Verifies the upload's bytes as {@code expected}, makes them the blob, and ends the upload. */
  long commitUpload(String id, Digest expected) throws IOException;

  void cancelUpload(String id) throws IOException;

  List<Upload> uploads() throws IOException;

  /**
   * Removes (unless {@code dryRun}) what uploads left that nothing has written to since {@code cutoff}:
   * abandoned sessions, sessions half made or half removed by a crash, and the temporary files of
   * blobs being verified. Returns what was (or would be) removed, by name.
   */
  List<String> removeStaleUploads(Instant cutoff, boolean dryRun) throws IOException;

  @Override
  void close();
}
