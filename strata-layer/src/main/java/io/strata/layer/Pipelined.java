package io.strata.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Runs a stream's producer and its consumer on two cores: {@code producer} writes on a thread of
 * its own into 1 MiB chunks, a few of which queue up, while the calling thread hands them to
 * {@code sink}. A layer write is a tar made from thousands of small files (system calls) on one
 * side and SHA-256 plus the blob's own write on the other; side by side they take the longer of
 * the two, not the sum. A failure on either side stops both and is thrown here.
 */
public final class Pipelined {
  private static final int CHUNK = 1 << 20;
  private static final byte[] END = new byte[0];

  private Pipelined() {}

  public static void write(Consumer<OutputStream> producer, OutputStream sink) {
    BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
    Throwable[] failed = new Throwable[1];
    ChunkStream out = new ChunkStream(chunks);
    Thread thread = Thread.ofPlatform().daemon().name("strata-pipelined").start(() -> {
      try {
        producer.accept(out);
        out.finish();
      } catch (Throwable t) {
        failed[0] = t;
        out.abandon();
      }
    });
    try {
      for (byte[] c = chunks.take(); c != END; c = chunks.take()) sink.write(c);
      thread.join();
    } catch (IOException e) {
      stop(out, chunks, thread);
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      stop(out, chunks, thread);
      throw e;
    } catch (InterruptedException e) {
      stop(out, chunks, thread);
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted while writing"));
    }
    if (failed[0] instanceof RuntimeException r) throw r;
    if (failed[0] instanceof Error e) throw e;
    if (failed[0] != null) throw new IllegalStateException(failed[0]);
  }

  /** Stops the producer and waits for it, so nothing reads what the caller cleans up next. */
  private static void stop(ChunkStream out, BlockingQueue<byte[]> chunks, Thread producer) {
    out.consumerFailed = true;
    producer.interrupt();
    boolean interrupted = false;
    while (producer.isAlive()) {
      chunks.clear(); // unblock the producer; its next write fails
      try {
        producer.join(100);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** The producer's side: fills a chunk, queues it when full; END after the last one. */
  private static final class ChunkStream extends OutputStream {
    private final BlockingQueue<byte[]> chunks;
    private byte[] chunk = new byte[CHUNK];
    private int used;
    volatile boolean consumerFailed;

    ChunkStream(BlockingQueue<byte[]> chunks) {
      this.chunks = chunks;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, chunk.length - used);
        System.arraycopy(b, off, chunk, used, n);
        used += n;
        off += n;
        len -= n;
        if (used == chunk.length) pass();
      }
    }

    private void pass() throws IOException {
      if (used == 0) return;
      put(used == chunk.length ? chunk : Arrays.copyOf(chunk, used));
      chunk = new byte[CHUNK];
      used = 0;
    }

    private void put(byte[] c) throws IOException {
      if (consumerFailed) throw new IOException("the writer's consumer failed");
      try {
        chunks.put(c);
      } catch (InterruptedException e) {
        throw new InterruptedIOException("the writer's consumer stopped");
      }
    }

    void finish() throws IOException {
      pass();
      put(END);
    }

    /** After a producer failure: the consumer must still wake up and stop. */
    void abandon() {
      chunks.clear();
      chunks.offer(END);
    }
  }
}
