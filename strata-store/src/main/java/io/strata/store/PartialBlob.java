package io.strata.store;

import io.strata.errdefs.DataLossException;
import io.strata.oci.Digest;
import io.strata.oci.Digester;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A download of a blob whose digest is known, kept in {@code ingest/partial-ALG-HEX} so that a
 * transfer cut off (a dropped connection, a killed process) continues from the bytes already on
 * disk rather than from zero. One process writes it at a time (an exclusive lock on the file; a
 * second one waits, then finds the blob stored). While it is written, {@link #reader()} streams it
 * from its first byte, waiting for bytes still to come: a layer is unpacked as it downloads.
 * {@link #commit} verifies size and digest and moves it into the store; a mismatch deletes it.
 */
public final class PartialBlob implements AutoCloseable {
  static final String PREFIX = "partial-";

  private final LocalContentStore store;
  private final Digest expected;
  private final long expectedSize;
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private Digester hash; // the writer's alone
  private final Object progress = new Object();
  private long size; // guarded by progress
  private boolean ended; // guarded by progress
  private String failure; // guarded by progress
  private int generation; // guarded by progress: a restart voids what readers read before it
  private final long resumedFrom;
  /**
   * Downloads of this process by file: Java allows one lock on a file per process (a second
   * {@code lock()} throws OverlappingFileLockException), so its threads take turns here first.
   */
  private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();
  private final Semaphore turn;
  private boolean released; // guarded by this

  PartialBlob(LocalContentStore store, Path file, Digest expected, long expectedSize) throws IOException {
    this.store = store;
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    this.turn = IN_PROCESS.computeIfAbsent(file.toAbsolutePath(), f -> new Semaphore(1));
    FileLock l;
    try {
      turn.acquire(); // another thread of this process downloading the same blob: wait for it
    } catch (InterruptedException e) {
      channel.close();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted waiting for the download of " + expected);
    }
    try {
      l = lockWaiting(channel); // another process downloading the same blob: wait for it
    } catch (IOException | RuntimeException e) {
      turn.release();
      channel.close();
      throw e;
    }
    this.lock = l;
    this.hash = Digester.forDigest(expected);
    long have;
    try {
      have = channel.size();
      if (expectedSize >= 0 && have > expectedSize) { // not this blob's bytes: start over
        channel.truncate(0);
        have = 0;
      }
      rehash(have);
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    }
    this.size = have;
    this.resumedFrom = have;
  }

  /** Bytes on disk now. */
  public long size() {
    synchronized (progress) {
      return size;
    }
  }

  /** Bytes found on disk when this download was opened (a resumed transfer's start). */
  public long resumedFrom() {
    return resumedFrom;
  }

  public Digest expected() {
    return expected;
  }

  /** Appends bytes received; readers see them at once. */
  public void write(byte[] b, int off, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
    long pos;
    synchronized (progress) {
      pos = size;
    }
    while (buf.hasRemaining()) pos += channel.write(buf, pos);
    hash.update(b, off, len);
    synchronized (progress) {
      size = pos;
      progress.notifyAll();
    }
  }

  /**
   * Starts over from byte zero. Readers opened before fail from now on: what they read is not
   * what will be verified (a splice of two transfers must never be unpacked or checked).
   */
  public void restart() throws IOException {
    synchronized (progress) {
      channel.truncate(0);
      size = 0;
      hash = Digester.forDigest(expected);
      generation++;
      progress.notifyAll();
    }
  }

  /**
   * Whether the next {@code n} bytes of {@code in} are the first {@code n} on disk (a server that
   * ignored a range request and sent the whole blob again); reads exactly those bytes of {@code in}.
   */
  public boolean samePrefix(InputStream in, long n) throws IOException {
    byte[] theirs = new byte[64 * 1024];
    ByteBuffer ours = ByteBuffer.allocate(theirs.length);
    for (long pos = 0; pos < n; ) {
      int want = (int) Math.min(theirs.length, n - pos);
      int got = in.readNBytes(theirs, 0, want);
      if (got < want) return false;
      ours.clear().limit(want);
      while (ours.hasRemaining() && channel.read(ours, pos + ours.position()) > 0) {
        // positional reads until the chunk is whole
      }
      if (ours.position() < want || !java.util.Arrays.equals(ours.array(), 0, want, theirs, 0, want)) return false;
      pos += want;
    }
    return true;
  }

  /**
   * Verifies and publishes the blob (under {@code lease}); on a size or digest mismatch the bytes
   * are deleted, nothing is stored, and a {@link DataLossException} names both values.
   */
  public BlobInfo commit(Lease lease) {
    long n = size();
    Digest actual = hash.digest();
    if ((expectedSize >= 0 && n != expectedSize) || !actual.equals(expected)) {
      String why = "blob " + expected + ": " + (expectedSize >= 0 && n != expectedSize
          ? "size mismatch: expected " + expectedSize + " bytes, got " + n : "digest mismatch: the bytes hash to " + actual);
      fail(why);
      discard();
      throw new DataLossException(why);
    }
    try {
      channel.force(true);
      BlobInfo info = store.publish(file, new BlobInfo(expected, n), lease);
      synchronized (progress) {
        ended = true;
        progress.notifyAll();
      }
      return info;
    } catch (IOException e) {
      fail(e.getMessage());
      throw new UncheckedIOException("commit blob " + expected, e);
    } finally {
      release();
    }
  }

  /** Ends this attempt: readers fail with {@code why}; the bytes stay for the next attempt. */
  public void fail(String why) {
    synchronized (progress) {
      if (!ended && failure == null) failure = why;
      progress.notifyAll();
    }
  }

  /** Deletes the bytes: a rejected download is not kept for a later one. */
  public void discard() {
    fail("discarded");
    release();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the next open finds it and re-checks it
    }
  }

  /** Unlocks and closes; the bytes stay on disk (a later open resumes them). */
  @Override
  public void close() {
    fail("closed");
    release();
  }

  private synchronized void release() {
    if (released) return;
    released = true;
    try {
      if (lock.isValid()) lock.release();
      channel.close();
    } catch (IOException e) {
      // closing a file we only appended to
    } finally {
      turn.release();
    }
  }

  /**
   * The file's lock, by tryLock until it is free: a blocking lock (F_SETLKW) is refused with EDEADLK
   * when two processes each hold one download and wait for one the other holds, the kernel seeing
   * one lock owner per process where different threads hold and wait.
   */
  private static FileLock lockWaiting(FileChannel channel) throws IOException {
    long pause = 5;
    while (true) {
      FileLock l = channel.tryLock();
      if (l != null) return l;
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted waiting for a download's lock");
      }
      pause = Math.min(pause * 2, 200);
    }
  }

  private void rehash(long n) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    long pos = 0;
    while (pos < n) {
      buf.clear().limit((int) Math.min(buf.capacity(), n - pos));
      int r = channel.read(buf, pos);
      if (r < 0) break;
      buf.flip();
      hash.update(buf);
      pos += r;
    }
  }

  /** What a reader opened before a {@link #restart} throws: read the blob again from a new reader. */
  public static final class Restarted extends IOException {
    Restarted(Digest d) {
      super("download of " + d + " restarted: what was read is void");
    }
  }

  /**
   * The blob from its first byte, as it is written: a read past what is on disk waits for more, ends
   * at the end of a committed blob, and fails when the download fails.
   */
  public InputStream reader() throws IOException {
    FileChannel in = FileChannel.open(file, StandardOpenOption.READ); // the inode stays readable after the rename
    int opened;
    synchronized (progress) {
      opened = generation;
    }
    return new InputStream() {
      private long pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        long available;
        synchronized (progress) {
          while (size <= pos && !ended && failure == null && generation == opened) {
            try {
              progress.wait();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException("interrupted");
            }
          }
          if (generation != opened) throw new Restarted(expected);
          if (size <= pos) {
            if (ended) return -1;
            throw new IOException("download of " + expected + " failed: " + failure);
          }
          available = size - pos;
        }
        int n = in.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), pos);
        if (n > 0) pos += n;
        return n;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }
}
