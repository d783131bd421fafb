package io.strata.store;

import io.strata.oci.Digest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Content-addressed blobs (containerd's provider, ingester and manager roles in one).
 *
 * <p>Every digest argument must be sha256 or sha512 ({@link Digest#requireSupported()}); others are
 * rejected with {@link io.strata.errdefs.InvalidArgumentException} before touching any path.
 * A {@code lease} argument may be null: the blob is then not protected from garbage collection
 * until something (an image record) references it.
 */
public interface ContentStore {
  /** Opens a stored blob for reading. @throws io.strata.errdefs.NotFoundException if absent */
  InputStream open(Digest digest);

  /** Where a stored blob lives, for read-only use. @throws io.strata.errdefs.NotFoundException if absent */
  Path blobPath(Digest digest);

  Optional<BlobInfo> info(Digest digest);

  boolean exists(Digest digest);

  /** A writer hashing with sha256; see {@link BlobWriter}. */
  BlobWriter writer(Lease lease);

  /** Stores bytes under their sha256 digest; idempotent. */
  BlobInfo put(byte[] bytes, Lease lease);

  /**
   * Streams {@code in} into the store and verifies it. With an {@code expected} digest the bytes
   * are hashed with its algorithm (sha256 or sha512); with an {@code expectedSize} (-1: unknown) at
   * most {@code expectedSize + 1} bytes are read. If a blob with the expected digest and size is
   * already stored, {@code in} is not read at all. Does not close {@code in}.
   *
   * @throws io.strata.errdefs.FailedPreconditionException on a size or digest mismatch, naming
   *     both values; nothing is stored then
   */
  BlobInfo ingest(InputStream in, Digest expected, long expectedSize, Lease lease);

  /**
   * The download of blob {@code expected} of {@code expectedSize} bytes (-1: unknown), resumed from
   * what an earlier attempt left; see {@link PartialBlob}.
   */
  PartialBlob partial(Digest expected, long expectedSize);

  /** Calls {@code fn} for every stored blob with a well-formed name. */
  void walk(Consumer<BlobInfo> fn);

  /** Removes a blob; idempotent (absent is fine). Garbage collection is the usual caller. */
  void delete(Digest digest);

  /** Re-hashes a stored blob. @throws io.strata.errdefs.DataLossException if it no longer matches */
  void verify(Digest digest);
}
