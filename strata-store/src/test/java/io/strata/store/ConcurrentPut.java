package io.strata.store;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A second strata process for {@link ConcurrentWriterTest}. Mode {@code race}: signals it is ready,
 * waits for a start file, then ingests the shared blob set into the store. Mode {@code crash}:
 * writes half of a blob, signals, and waits to be killed.
 */
public final class ConcurrentPut {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path root = Path.of(args[1]);
    Path signals = Path.of(args[2]);
    int blobs = Integer.parseInt(args[3]);
    try (Store store = Store.open(root); Lease lease = store.leases().create(Duration.ofMinutes(5))) {
      Path ready = signals.resolve("ready-" + ProcessHandle.current().pid());
      if (mode.equals("crash")) {
        BlobWriter w = store.content().writer(lease);
        byte[] data = ConcurrentWriterTest.blob(0);
        w.stream().write(data, 0, data.length / 2);
        Files.createFile(ready);
        Thread.sleep(Duration.ofMinutes(2)); // killed before this ends
        return;
      }
      Files.createFile(ready);
      while (!Files.exists(signals.resolve("go"))) Thread.sleep(2);
      for (int i = 0; i < blobs; i++) {
        byte[] data = ConcurrentWriterTest.blob(i);
        store.content().ingest(new ByteArrayInputStream(data), null, data.length, lease);
        store.content().put(data, lease);
      }
    }
  }
}
