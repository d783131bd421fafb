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

  /** Deletes temp files whose writer is gone (dead pid) and files that are not temp files at all. */
  List<Path> removeOrphans() throws IOException {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (isOrphan(f.getFileName().toString()) && Files.deleteIfExists(f)) removed.add(f);
      }
    }
    return removed;
  }

  static boolean isOrphan(String name) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) return true;
    long pid = Long.parseLong(m.group(1));
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }
}
