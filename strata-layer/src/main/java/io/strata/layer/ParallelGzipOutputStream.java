package io.strata.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip compression on several cores, using pigz's scheme. Deflate is single-threaded and is the
 * bottleneck of pushing a layer, so the input is cut into 128 KiB blocks that are deflated in
 * parallel, each primed with the last 32 KiB of the previous block as a preset dictionary (so the
 * ratio stays within a fraction of a percent of serial gzip) and ended with a sync flush (so each
 * block ends on a byte boundary and the blocks simply concatenate). The output is one ordinary gzip
 * member holding one deflate stream, readable by any gunzip, and is byte-for-byte the same whatever
 * the thread count; throughput scales about N times on N cores.
 *
 * <p>At most {@code 2 * threads} blocks are in flight, so memory stays bounded (about {@code 4 *
 * threads} times 128 KiB). With one thread, blocks are compressed inline and no thread is started;
 * a stream shorter than one block never starts a thread either. The CRC-32 is computed on the
 * writing thread, and compressed blocks are written to the underlying stream on the writing thread,
 * strictly in order. A failure of a worker or of the underlying stream surfaces as an {@link
 * IOException} from {@code write}, {@code flush} or {@code close}, after which the stream is
 * unusable. Not thread-safe, like any {@link OutputStream}.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK = 128 * 1024;
  private static final int WINDOW = 32 * 1024;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final OutputStream out;
  private final int level;
  private final int threads;
  private final CRC32 crc = new CRC32();
  private final ArrayDeque<Future<Block>> pending = new ArrayDeque<>();
  private final Queue<Deflater> idle = new ConcurrentLinkedQueue<>();
  private final Queue<Deflater> allDeflaters = new ConcurrentLinkedQueue<>();
  private ExecutorService executor;
  private byte[] buf = new byte[BLOCK];
  private int pos;
  private byte[] prev;
  private int prevLen;
  private long size;
  private IOException failure;
  private boolean closed;

  /** Level 6 (the gzip and pigz default), one thread per available processor. */
  public ParallelGzipOutputStream(OutputStream out) throws IOException {
    this(out, 6, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Writes the gzip header to {@code out} at once.
   *
   * @param level deflate level, 0 to 9, or -1 for zlib's default
   * @param threads compressing threads, at least 1
   */
  public ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this.out = Objects.requireNonNull(out, "out");
    if (level < Deflater.DEFAULT_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("bad deflate level " + level);
    }
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1: " + threads);
    this.level = level;
    this.threads = threads;
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (pos == BLOCK) guarded(() -> dispatch(false));
    buf[pos++] = (byte) b;
    crc.update(b);
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    crc.update(b, off, len);
    size += len;
    while (len > 0) {
      // A full block is dispatched only once more input arrives, so the last block is the one
      // finished at close() and an empty final block is needed only for empty input.
      if (pos == BLOCK) guarded(() -> dispatch(false));
      int n = Math.min(len, BLOCK - pos);
      System.arraycopy(b, off, buf, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  /**
   * Waits for every block already handed to the workers, writes them and flushes the underlying
   * stream. Input still in the current, partly filled block stays buffered: emitting it would need
   * a short block, which costs ratio, and gzip consumers of layers never need a mid-stream flush.
   */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    guarded(() -> {
      drain(0);
      out.flush();
    });
  }

  /**
   * Compresses the last block, writes the trailer, closes the underlying stream and stops the
   * workers. Does nothing the second time.
   */
  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    Throwable primary = null;
    try {
      if (failure != null) throw new IOException("gzip stream failed before close", failure);
      dispatch(true);
      drain(0);
      writeTrailer();
    } catch (Throwable t) {
      primary = t;
      throw t;
    } finally {
      release(primary);
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) throw new IOException("stream closed");
    if (failure != null) throw new IOException("gzip stream failed earlier", failure);
  }

  private interface IoAction {
    void run() throws IOException;
  }

  /** Runs an action, remembering a failure so that the stream refuses further use. */
  private void guarded(IoAction action) throws IOException {
    try {
      action.run();
    } catch (IOException e) {
      failure = e;
      throw e;
    } catch (RuntimeException e) {
      failure = new IOException(e);
      throw failure;
    }
  }

  private void dispatch(boolean last) throws IOException {
    byte[] in = buf;
    int len = pos;
    byte[] dict = prev;
    int dictLen = prevLen;
    prev = in;
    prevLen = len;
    buf = last ? null : new byte[BLOCK];
    pos = 0;
    if (threads == 1 || (last && executor == null)) {
      Block block = compress(in, len, dict, dictLen, last);
      out.write(block.data(), 0, block.length());
      return;
    }
    if (executor == null) executor = newExecutor(threads);
    pending.add(executor.submit(() -> compress(in, len, dict, dictLen, last)));
    drain(2 * threads);
  }

  /** Writes completed blocks in order until at most {@code maxPending} are in flight. */
  private void drain(int maxPending) throws IOException {
    while (!pending.isEmpty() && (pending.size() > maxPending || pending.peek().isDone())) {
      Block block;
      try {
        block = pending.peek().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for gzip block");
      } catch (ExecutionException e) {
        throw new IOException("gzip block compression failed", e.getCause());
      }
      pending.poll();
      out.write(block.data(), 0, block.length());
    }
  }

  /** One compressed block: {@code data[0, length)}. */
  private record Block(byte[] data, int length) {}

  /** Deflates one block with a pooled deflater (at most one per thread is ever created). */
  private Block compress(byte[] in, int len, byte[] dict, int dictLen, boolean last) {
    Deflater d = idle.poll();
    if (d == null) {
      d = new Deflater(level, true);
      allDeflaters.add(d);
    }
    try {
      d.reset();
      if (dictLen > 0) {
        int n = Math.min(WINDOW, dictLen);
        d.setDictionary(dict, dictLen - n, n);
      }
      d.setInput(in, 0, len);
      if (last) d.finish();
      // Above deflateBound() (level 0's stored blocks included) plus the sync marker, so one
      // deflate call normally suffices.
      byte[] o = new byte[len + (len >> 10) + 64];
      int n = 0;
      while (true) {
        if (n == o.length) o = Arrays.copyOf(o, o.length * 2);
        n += d.deflate(o, n, o.length - n, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
        // A sync flush is complete once it leaves output space unused.
        if (last ? d.finished() : n < o.length) return new Block(o, n);
      }
    } finally {
      idle.add(d);
    }
  }

  private void writeTrailer() throws IOException {
    byte[] t = new byte[8];
    putIntLe(t, 0, (int) crc.getValue());
    putIntLe(t, 4, (int) size);
    out.write(t);
  }

  private static void putIntLe(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  private static ExecutorService newExecutor(int threads) {
    int pool = POOL_IDS.incrementAndGet();
    AtomicInteger ids = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "strata-pgzip-" + pool + "-" + ids.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Stops the workers, frees the deflaters' native memory and closes the underlying stream. */
  private void release(Throwable primary) throws IOException {
    for (Future<Block> f : pending) f.cancel(true);
    pending.clear();
    buf = null;
    prev = null;
    if (executor != null) {
      executor.shutdownNow();
      try {
        // Running tasks are short (one block); wait so that no deflater is ended while in use.
        executor.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Deflater d : allDeflaters) d.end();
    allDeflaters.clear();
    idle.clear();
    try {
      out.close();
    } catch (IOException e) {
      if (primary == null) throw e;
      primary.addSuppressed(e);
    }
  }
}
