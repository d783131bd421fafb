package io.strata.registry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes a response body that stops moving: the JDK's HTTP client bounds the wait for a response's
 * headers, not for its body, so every body read runs under one of these. A body is closed after a
 * minute without a byte, or at once when the reading thread is interrupted (a pull stopping its
 * other downloads); the blocked read then fails.
 */
final class StallWatch implements AutoCloseable {
  static final long STALL_MILLIS = 60_000;

  private final AtomicLong last = new AtomicLong(System.nanoTime());
  private final Thread watcher;

  StallWatch(Closeable body) {
    this(body, STALL_MILLIS);
  }

  StallWatch(Closeable body, long stallMillis) {
    Thread reader = Thread.currentThread();
    watcher = Thread.ofVirtual().start(() -> {
      try {
        while (true) {
          Thread.sleep(200);
          if (reader.isInterrupted() || System.nanoTime() - last.get() > stallMillis * 1_000_000) {
            body.close();
            return;
          }
        }
      } catch (InterruptedException | IOException e) {
        // closed: done
      }
    });
  }

  /** Bytes arrived. */
  void moved() {
    last.set(System.nanoTime());
  }

  @Override
  public void close() {
    watcher.interrupt();
  }

  /** At most {@code max + 1} bytes of {@code in} (so that a caller can tell "too large"), read under a watch. */
  static byte[] readBounded(InputStream in, int max) throws IOException {
    try (in; StallWatch watch = new StallWatch(in)) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      while (out.size() <= max) {
        int n = in.read(buf, 0, Math.min(buf.length, max + 1 - out.size()));
        if (n < 0) break;
        out.write(buf, 0, n);
        watch.moved();
      }
      return out.toByteArray();
    }
  }
}
