package io.strata.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@code sharing} of cache mounts across the steps of this process and of other strata
 * processes: {@code shared} steps use a cache together, a {@code locked} one has it alone,
 * {@code private} takes it only when nobody else has it. Within the JVM a read-write lock per
 * cache; between processes a record lock on the cache's lock file: a shared holder locks one byte
 * of its own (record locks of one process must not overlap), an exclusive holder the whole file.
 * The lock files stay open for the life of the JVM, since closing any channel to a file drops
 * every record lock this process holds on it.
 */
final class CacheMountLocks {
  private record Cache(ReentrantReadWriteLock local, FileChannel file) {}

  private static final Map<Path, Cache> CACHES = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT_BYTE = new AtomicLong();

  private CacheMountLocks() {}

  /** A held lock; closing releases it. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /** Waits for the cache at {@code lockFile} per {@code sharing}; for {@code private}, null when it is in use. */
  static Lease acquire(Path lockFile, String sharing) {
    Cache c = CACHES.computeIfAbsent(lockFile, CacheMountLocks::open);
    boolean exclusive = !sharing.equals("shared");
    Lock local = exclusive ? c.local.writeLock() : c.local.readLock();
    try {
      if (sharing.equals("private")) {
        if (!local.tryLock()) return null;
      } else {
        local.lockInterruptibly();
      }
      FileLock file;
      try {
        long position = exclusive ? 0 : 1 + NEXT_BYTE.getAndIncrement();
        long size = exclusive ? Long.MAX_VALUE : 1;
        file = sharing.equals("private") ? c.file.tryLock(position, size, false) : c.file.lock(position, size, !exclusive);
      } catch (IOException | RuntimeException e) {
        local.unlock();
        throw e;
      }
      if (file == null) {
        local.unlock();
        return null;
      }
      return () -> {
        try {
          file.release();
        } catch (IOException ignored) {
          // the process's lock goes with the process anyway
        } finally {
          local.unlock();
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException("lock cache mount " + lockFile, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for cache mount " + lockFile, e);
    }
  }

  private static Cache open(Path lockFile) {
    try {
      return new Cache(new ReentrantReadWriteLock(),
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new UncheckedIOException("open " + lockFile, e);
    }
  }
}
