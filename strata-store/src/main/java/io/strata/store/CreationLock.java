package io.strata.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the first-time set-up of the metadata database across threads and processes.
 *
 * <p>SQLite's switch from the rollback journal to WAL is not safe while another connection opens
 * the same new file in rollback mode (it fails with SQLITE_IOERR_DELETE_NOENT). Once the file is in
 * WAL mode it stays so, and later opens skip this lock.
 */
final class CreationLock implements AutoCloseable {
  /** File locks are per process; threads of one JVM take turns here first. */
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();

  private final FileChannel channel;
  private final FileLock lock;

  private CreationLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static CreationLock acquire(Path lockFile) {
    IN_PROCESS.lock();
    try {
      FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        return new CreationLock(ch, ch.lock());
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    } catch (IOException e) {
      IN_PROCESS.unlock();
      throw new UncheckedIOException("lock " + lockFile, e);
    } catch (RuntimeException e) {
      IN_PROCESS.unlock();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("unlock metadata creation lock", e);
    } finally {
      IN_PROCESS.unlock();
    }
  }
}
