package io.strata.store;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Blobs as read-only files {@code <root>/blobs/<alg>/<hex>}, written through temp files in
 * {@code <root>/ingest} that are renamed into place only once verified (the containerd local store
 * layout).
 */
public final class LocalContentStore implements ContentStore {
  static final List<String> ALGORITHMS = List.of(Digest.SHA256, Digest.SHA512);
  private static final int READ_CHUNK = 128 * 1024;

  private final Path blobs;
  private final IngestDir ingest;
  private final LeaseManager leases;

  /** @param leases records blobs written under a lease; may be null when leases are never passed */
  LocalContentStore(Path blobs, IngestDir ingest, LeaseManager leases) {
    this.blobs = blobs;
    this.ingest = ingest;
    this.leases = leases;
  }

  Path blobsDir() {
    return blobs;
  }

  @Override
  public InputStream open(Digest digest) {
    Path p = pathOf(digest);
    try {
      return Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      throw notFound(digest);
    } catch (IOException e) {
      throw new UncheckedIOException("open blob " + digest, e);
    }
  }

  @Override
  public Path blobPath(Digest digest) {
    Path p = pathOf(digest);
    if (!Files.isRegularFile(p)) throw notFound(digest);
    return p;
  }

  @Override
  public Optional<BlobInfo> info(Digest digest) {
    Path p = pathOf(digest);
    try {
      return Optional.of(new BlobInfo(digest, Files.size(p)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("stat blob " + digest, e);
    }
  }

  @Override
  public boolean exists(Digest digest) {
    return Files.isRegularFile(pathOf(digest));
  }

  @Override
  public BlobWriter writer(Lease lease) {
    return newWriter(lease, Digest.SHA256);
  }

  @Override
  public BlobInfo put(byte[] bytes, Lease lease) {
    return ingest(new ByteArrayInputStream(bytes), Digest.sha256(bytes), bytes.length, lease);
  }

  @Override
  public BlobInfo ingest(InputStream in, Digest expected, long expectedSize, Lease lease) {
    if (expected != null) {
      expected.requireSupported();
      Optional<BlobInfo> stored = alreadyStored(expected, expectedSize, lease);
      if (stored.isPresent()) return stored.get();
    }
    try (BlobWriter w = newWriter(lease, expected == null ? Digest.SHA256 : expected.algorithm())) {
      copyBounded(in, w, expected, expectedSize);
      return w.commit(expectedSize, expected);
    } catch (IOException e) {
      throw new UncheckedIOException("ingest blob" + (expected == null ? "" : " " + expected) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void walk(Consumer<BlobInfo> fn) {
    for (String alg : ALGORITHMS) {
      Path dir = blobs.resolve(alg);
      if (!Files.isDirectory(dir)) continue;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          Digest d = digestOfName(alg, f.getFileName().toString());
          if (d == null || !Files.isRegularFile(f)) continue;
          info(d).ifPresent(fn);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("walk blobs " + dir, e);
      }
    }
  }

  @Override
  public void delete(Digest digest) {
    try {
      Files.deleteIfExists(pathOf(digest));
    } catch (IOException e) {
      throw new UncheckedIOException("delete blob " + digest, e);
    }
  }

  @Override
  public void verify(Digest digest) {
    Path p = pathOf(digest);
    try {
      Digest actual = hashFile(p, digest.algorithm(), Long.MAX_VALUE);
      if (!actual.equals(digest)) {
        throw new DataLossException("blob " + digest + ": content hashes to " + actual);
      }
    } catch (NoSuchFileException e) {
      throw notFound(digest);
    } catch (IOException e) {
      throw new UncheckedIOException("verify blob " + digest, e);
    }
  }

  /** Removes temp files left by writers that died (with {@code partialsToo}, unfinished downloads nobody resumes now too). */
  List<Path> removeOrphanTempFiles(boolean partialsToo) throws IOException {
    return ingest.removeOrphans(partialsToo);
  }

  /**
   * The download of blob {@code expected} ({@code expectedSize} bytes, or -1): resumed from what an
   * earlier attempt left on disk; waits while another process downloads the same blob.
   */
  @Override
  public PartialBlob partial(Digest expected, long expectedSize) {
    expected.requireSupported();
    try {
      return new PartialBlob(this, ingest.dir().resolve(PartialBlob.PREFIX + expected.algorithm() + "-" + expected.encoded()),
          expected, expectedSize);
    } catch (IOException e) {
      throw new UncheckedIOException("open download of " + expected, e);
    }
  }

  /**
   * The last step of a commit: records the lease reference, then renames the verified temp file
   * into place (or keeps an identical stored blob) and syncs the directory.
   */
  BlobInfo publish(Path temp, BlobInfo blob, Lease lease) throws IOException {
    if (lease != null) requireLeases().protect(lease, blob.digest());
    Path target = pathOf(blob.digest());
    if (Files.isRegularFile(target) && Files.size(target) == blob.size()) return blob;
    Files.createDirectories(target.getParent(), DurableFiles.dirAttribute());
    Files.setPosixFilePermissions(temp, DurableFiles.READ_ONLY);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    DurableFiles.syncDir(target.getParent());
    return blob;
  }

  /** A stored blob with the expected digest (and size), now protected by the lease. */
  private Optional<BlobInfo> alreadyStored(Digest expected, long expectedSize, Lease lease) {
    Optional<BlobInfo> have = info(expected);
    if (have.isEmpty() || (expectedSize >= 0 && have.get().size() != expectedSize)) return Optional.empty();
    if (lease == null) return have;
    requireLeases().protect(lease, expected);
    return info(expected); // re-check: a gc may have removed it before the lease reference landed
  }

  private static void copyBounded(InputStream in, BlobWriter w, Digest expected, long expectedSize) throws IOException {
    byte[] buf = new byte[READ_CHUNK];
    long limit = expectedSize < 0 ? Long.MAX_VALUE : expectedSize + 1;
    long total = 0;
    while (total < limit) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
      if (n < 0) return;
      w.stream().write(buf, 0, n);
      total += n;
    }
    if (total > expectedSize) {
      throw new FailedPreconditionException("ingest blob" + (expected == null ? "" : " " + expected)
          + ": size mismatch: expected " + expectedSize + " bytes, got at least " + total);
    }
  }

  private BlobWriter newWriter(Lease lease, String algorithm) {
    try {
      return new LocalBlobWriter(this, lease, ingest.newTempFile(), algorithm);
    } catch (IOException e) {
      throw new UncheckedIOException("create temp blob in " + ingest.dir(), e);
    }
  }

  private LeaseManager requireLeases() {
    if (leases == null) throw new IllegalStateException("content store has no lease manager");
    return leases;
  }

  /** The path of a digest, validated first so that no digest text reaches the file system unchecked (S27). */
  Path pathOf(Digest digest) {
    digest.requireSupported();
    return blobs.resolve(digest.algorithm()).resolve(digest.encoded());
  }

  /** The digest a blob file name stands for, or null when the name is not a valid address. */
  static Digest digestOfName(String algorithm, String name) {
    try {
      Digest d = new Digest(algorithm, name);
      return d.isSupported() ? d : null;
    } catch (RuntimeException invalid) {
      return null;
    }
  }

  /** Hashes the first {@code limit} bytes of a file with {@code algorithm}. */
  static Digest hashFile(Path file, String algorithm, long limit) throws IOException {
    MessageDigest md = LocalBlobWriter.messageDigest(algorithm);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(READ_CHUNK);
      long left = limit;
      while (left > 0) {
        buf.clear().limit((int) Math.min(buf.capacity(), left));
        int n = ch.read(buf);
        if (n < 0) break;
        buf.flip();
        md.update(buf);
        left -= n;
      }
    }
    return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
  }

  private static NotFoundException notFound(Digest digest) {
    return new NotFoundException("blob " + digest + ": not found");
  }
}
