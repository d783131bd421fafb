package io.strata.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A strata store rooted at one directory:
 * <pre>
 *   blobs/sha256/&lt;hex&gt;   read-only blob files (sha512/ too)
 *   ingest/              temp files of writes in progress, named &lt;pid&gt;-&lt;random&gt;
 *   tmp/                 scratch space for other modules, on the same file system
 *   trash/               what a transaction decided to delete, deleted after it ({@link Trash})
 *   metadata.db          SQLite (images, tags, refs, leases, the event journal)
 * </pre>
 * Opening is cheap: it creates missing directories (mode 0700) and removes temp files of dead
 * writers; the database is opened on first use, when expired leases are dropped too.
 */
public final class Store implements AutoCloseable {
  private final Path root;
  private final Path tmp;
  private final MetadataDb db;
  private final LeaseManager leases;
  private final LocalContentStore content;
  private final ImageStore images;
  private final GarbageCollector gc;
  private final Trash trash;
  private final EventJournal events;

  private Store(Path root, Clock clock) throws IOException {
    this.root = root;
    Path blobs = DurableFiles.privateDirs(root.resolve("blobs"));
    for (String alg : LocalContentStore.ALGORITHMS) DurableFiles.privateDirs(blobs.resolve(alg));
    IngestDir ingest = new IngestDir(DurableFiles.privateDirs(root.resolve("ingest")));
    this.tmp = DurableFiles.privateDirs(root.resolve("tmp"));
    this.db = new MetadataDb(root.resolve("metadata.db"), opened -> new LeaseManager(opened, clock).removeExpired());
    this.leases = new LeaseManager(db, clock);
    this.content = new LocalContentStore(blobs, ingest, leases);
    this.events = new EventJournal(db, clock);
    this.images = new ImageStore(db, events);
    this.trash = new Trash(DurableFiles.privateDirs(root.resolve("trash")));
    this.gc = new GarbageCollector(db, content, leases, trash);
    ingest.removeOrphans(false);
  }

  public static Store open(Path root) {
    return open(root, Clock.systemUTC());
  }

  static Store open(Path root, Clock clock) {
    Path abs = root.toAbsolutePath().normalize();
    try {
      return new Store(DurableFiles.privateDirs(abs), clock);
    } catch (IOException e) {
      throw new UncheckedIOException("open store " + abs + ": " + e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  /** Scratch directory inside the store (same file system, so a file made here can be moved in atomically). */
  public Path tmpDir() {
    return tmp;
  }

  public ContentStore content() {
    return content;
  }

  public MetadataDb db() {
    return db;
  }

  public ImageStore images() {
    return images;
  }

  public LeaseManager leases() {
    return leases;
  }

  /** The store's one collector: sweepers added to it take part in every later collection. */
  public GarbageCollector gc() {
    return gc;
  }

  /** Where directories and files go to be deleted outside a transaction. */
  public Trash trash() {
    return trash;
  }

  /** The journal {@code strata events} reads and every command appends to. */
  public EventJournal events() {
    return events;
  }

  public Fsck fsck() {
    return new Fsck(db, content, trash, leases);
  }

  @Override
  public void close() {
    db.close();
  }
}
