package io.strata.store;

import io.strata.oci.Digest;
import java.io.OutputStream;

/**
 * Streams one blob into the store. Bytes go to a private temp file and are hashed as they are
 * written; nothing is visible to readers until {@link #commit} succeeds.
 *
 * <p>Life cycle: write through {@link #stream()}, then {@link #commit} once. Commit always ends the
 * writer; {@link #close()} after a commit does nothing, and without one it aborts and deletes the
 * temp file. Not safe for use by several threads at once.
 */
public interface BlobWriter extends AutoCloseable {
  /** The stream to write the blob's bytes to; closing it does not commit. */
  OutputStream stream();

  /** Bytes written so far. */
  long written();

  /** The sha256 digest of the bytes written so far. */
  Digest digest();

  /**
   * Verifies and publishes the blob: checks the size (unless {@code expectedSize} is -1) and the
   * digest (unless {@code expected} is null; a sha512 expectation is checked with sha512), forces
   * the file to disk, renames it atomically to its address and syncs the directory.
   *
   * <p>Idempotent: if the blob is already stored the temp file is dropped and the stored one's
   * info returned; success means "the content is stored at this digest", not "because of this
   * call". When the writer was opened under a lease, the blob is recorded under the lease before it
   * becomes visible, so garbage collection cannot take it.
   *
   * @throws io.strata.errdefs.FailedPreconditionException on a size or digest mismatch (naming both)
   *     or when the lease has expired; nothing is stored then
   */
  BlobInfo commit(long expectedSize, Digest expected);

  /** Aborts an uncommitted write and deletes its temp file. */
  @Override
  void close();
}
