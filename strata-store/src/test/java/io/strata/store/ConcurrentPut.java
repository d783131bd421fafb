package io.strata.store;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A second strata process for {@link ConcurrentWriterTest}: waits for a start file, then ingests the
 * shared blob set under a lease into the store at {@code args[0]}.
 */
public final class ConcurrentPut {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path go = Path.of(args[1]);
    int blobs = Integer.parseInt(args[2]);
    try (Store store = Store.open(root); Lease lease = store.leases().create(Duration.ofMinutes(5))) {
      store.db().read(tx -> null); // open the database before the race starts
      while (!Files.exists(go)) Thread.sleep(5);
      for (int i = 0; i < blobs; i++) {
        byte[] data = ConcurrentWriterTest.blob(i);
        store.content().ingest(new ByteArrayInputStream(data), ConcurrentWriterTest.digest(i), data.length, null);
        store.content().put(data, lease);
      }
    }
    System.out.println("done");
  }
}
