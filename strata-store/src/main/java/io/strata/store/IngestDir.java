package io.strata.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The directory of in-progress blob writes, {@code <root>/ingest}. Temp files are named
 * {@code <pid>-<random>} after the writing process, so a later process can tell a crashed writer's
 * leftovers (pid no longer alive) from a live concurrent write.
 */
final class IngestDir {
  private static final Pattern NAME = Pattern.compile("([0-9]{1,10})-[0-9a-f]{16}");
  private static final long PID = ProcessHandle.current().pid();

  private final Path dir;

  IngestDir(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /**
   * Creates a new empty temp file (mode 0600) owned by this process. The pid keeps names of
   * different processes apart and creation fails rather than reuse a name, so a cheap random
   * suffix is enough (no SecureRandom start-up cost on the CLI path).
   */
  Path newTempFile() throws IOException {
    String suffix = HexFormat.of().withLowerCase().toHexDigits(ThreadLocalRandom.current().nextLong());
    return Files.createFile(dir.resolve(PID + "-" + suffix), DurableFiles.fileAttribute());
  }

  /**
   * Deletes temp files whose writer is gone (dead pid) and files that are not temp files at all.
   * Partial downloads ({@link PartialBlob}) are kept for a later pull to resume, unless
   * {@code partialsToo} (a prune) and nobody is writing them.
   */
  List<Path> removeOrphans(boolean partialsToo) throws IOException {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        boolean orphan = name.startsWith(PartialBlob.PREFIX) ? partialsToo && unlocked(f) : isOrphan(name);
        if (orphan && Files.deleteIfExists(f)) removed.add(f);
      }
    }
    return removed;
  }

  /** No process holds the download's lock (this one included). */
  private static boolean unlocked(Path f) {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.channels.FileLock l = ch.tryLock();
      if (l == null) return false;
      l.release();
      return true;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean isOrphan(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) return true;
    long pid = Long.parseLong(m.group(1));
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }
}
