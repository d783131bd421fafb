package io.strata.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code <root>/trash}: what a short write transaction decided to delete, moved here by rename
 * (instant, on the store's own file system), and deleted after the transaction commits, so no
 * command waits for a large deletion. Entries are named {@code <pid>-<random>-<name>} after the
 * process that put them; whoever empties the trash next deletes those of dead processes too, so a
 * killed prune leaves nothing that the next one does not finish. Nothing in the trash is referenced.
 */
public final class Trash {
  private static final long PID = ProcessHandle.current().pid();

  private final Path dir;

  Trash(Path dir) {
    this.dir = dir;
  }

  /** Moves {@code path} into the trash; false when nothing was there. Call it inside the deciding transaction. */
  public boolean put(Path path) {
    String name = PID + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-" + path.getFileName();
    try {
      Files.move(path, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("move " + path + " to the trash", e);
    }
  }

  /**
   * Deletes this process's entries and those of processes that are gone, outside any transaction;
   * entries of live processes are theirs to delete. Returns the bytes freed.
   */
  public long empty() {
    long freed = 0;
    for (Path entry : entries()) {
      long owner = owner(entry);
      if (owner != PID && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) continue;
      Path mine = entry;
      if (owner != PID) { // claim a dead process's entry first, so two cleaners never delete one tree together
        mine = dir.resolve(PID + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-claimed");
        try {
          Files.move(entry, mine, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
          continue; // another cleaner claimed it
        } catch (IOException e) {
          throw new UncheckedIOException("claim " + entry, e);
        }
      }
      try {
        freed += FileTrees.deleteTree(mine);
      } catch (IOException e) {
        throw new UncheckedIOException("empty the trash: " + mine, e);
      }
    }
    return freed;
  }

  /** The entries waiting to be deleted. */
  public List<Path> entries() {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    } catch (NoSuchFileException e) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("list " + dir, e);
    }
    out.sort(null);
    return out;
  }

  private static long owner(Path entry) {
    String name = entry.getFileName().toString();
    int dash = name.indexOf('-');
    try {
      return dash > 0 ? Long.parseLong(name.substring(0, dash)) : -1;
    } catch (NumberFormatException e) {
      return -1; // not an entry of ours: nobody owns it, so it is deleted
    }
  }
}
