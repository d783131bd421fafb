package io.strata.store;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.oci.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A {@link BlobWriter} into a temp file of {@link LocalContentStore}'s ingest directory. */
final class LocalBlobWriter implements BlobWriter {
  private static final int BUFFER = 128 * 1024;

  private final LocalContentStore store;
  private final Lease lease;
  private final Path temp;
  private final FileChannel channel;
  private final String algorithm;
  private final MessageDigest hash;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
  private final OutputStream stream = new Stream();
  private long written;
  private boolean done;

  /** @param algorithm what the writer hashes while writing (sha256 or sha512) */
  LocalBlobWriter(LocalContentStore store, Lease lease, Path temp, String algorithm) throws IOException {
    this.store = store;
    this.lease = lease;
    this.temp = temp;
    this.algorithm = algorithm;
    this.hash = messageDigest(algorithm);
    this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
  }

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public long written() {
    return written;
  }

  @Override
  public Digest digest() {
    if (algorithm.equals(Digest.SHA256)) return snapshot(hash, algorithm);
    try {
      return LocalContentStore.hashFile(temp, Digest.SHA256, flushedThen());
    } catch (IOException e) {
      throw new UncheckedIOException("hash temp blob " + temp.getFileName(), e);
    }
  }

  @Override
  public BlobInfo commit(long expectedSize, Digest expected) {
    ensureOpen();
    done = true;
    try {
      flush();
      if (expectedSize >= 0 && written != expectedSize) {
        throw new FailedPreconditionException("commit blob" + (expected == null ? "" : " " + expected)
            + ": size mismatch: expected " + expectedSize + " bytes, got " + written);
      }
      Digest actual = actualDigest(expected);
      if (expected != null && !expected.equals(actual)) {
        throw new FailedPreconditionException(
            "commit blob: digest mismatch: expected " + expected + ", got " + actual);
      }
      channel.force(true);
      channel.close();
      return store.publish(temp, new BlobInfo(actual, written), lease);
    } catch (IOException e) {
      throw new UncheckedIOException("commit blob: " + e.getMessage(), e);
    } finally {
      discard();
    }
  }

  @Override
  public void close() {
    if (done) return;
    done = true;
    discard();
  }

  private Digest actualDigest(Digest expected) throws IOException {
    expected = expected == null ? null : expected.requireSupported();
    if (expected == null || expected.algorithm().equals(algorithm)) return snapshot(hash, algorithm);
    return LocalContentStore.hashFile(temp, expected.algorithm(), written);
  }

  private long flushedThen() throws IOException {
    flush();
    return written;
  }

  private void flush() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) channel.write(buffer);
    buffer.clear();
  }

  private void discard() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the temp file is deleted below either way
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // an undeletable temp file is removed as an orphan by the next Store.open or gc
    }
  }

  private void ensureOpen() {
    if (done) throw new IllegalStateException("blob writer " + temp.getFileName() + " is already committed or closed");
  }

  private void accept(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    hash.update(b, off, len);
    written += len;
    while (len > 0) {
      int n = Math.min(len, buffer.remaining());
      buffer.put(b, off, n);
      off += n;
      len -= n;
      if (!buffer.hasRemaining()) flush();
    }
  }

  static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals(Digest.SHA512) ? "SHA-512" : "SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Digest snapshot(MessageDigest md, String algorithm) {
    try {
      MessageDigest copy = (MessageDigest) md.clone();
      return new Digest(algorithm, HexFormat.of().formatHex(copy.digest()));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  private final class Stream extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      accept(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      accept(b, off, len);
    }
  }
}
