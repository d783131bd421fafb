import io.strata.store.BlobInfo;
import io.strata.store.Lease;
import io.strata.store.Store;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Blob ingest workload: streams FILE into the content store of a fresh store at ROOT (hash while
 * writing, fsync, atomic rename) and prints the digest and the ingest's own seconds on stderr.
 * With {@code --hash-only} it only digests FILE with the same code (the CPU part of ingest).
 * Usage: java -cp CLASSPATH IngestBench [--hash-only] ROOT FILE
 */
public final class IngestBench {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("--hash-only")) {
      hashOnly(Path.of(args[2]));
      return;
    }
    Path root = Path.of(args[0]);
    Path file = Path.of(args[1]);
    try (Store store = Store.open(root); Lease lease = store.leases().create(Duration.ofMinutes(10))) {
      long t0 = System.nanoTime();
      BlobInfo blob;
      try (InputStream in = Files.newInputStream(file)) {
        blob = store.content().ingest(in, null, -1, lease);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.println(blob.digest());
      System.err.printf("ingest %d bytes in %.3f s (%.0f MB/s)%n", blob.size(), s, blob.size() / s / 1e6);
    }
  }

  private static void hashOnly(Path file) throws Exception {
    long t0 = System.nanoTime();
    io.strata.oci.Digester d = io.strata.oci.Digester.sha256();
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.println(d.digest());
    System.err.printf("hash %d bytes in %.3f s (%.0f MB/s)%n", d.count(), s, d.count() / s / 1e6);
  }
}
