package io.strata.registry.server;

import io.strata.oci.Digest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A registry server for tests on either storage, on 127.0.0.1 and an ephemeral port:
 * <pre>
 *   try (RegistryFixture r = RegistryFixture.start(RegistryFixture.Storage.S3)) {
 *     URI base = r.uri();                    // http://127.0.0.1:PORT
 *     ...
 *   }
 *   RegistryFixture.start(Storage.FILESYSTEM, c -> c.withReadOnly(true));   // more configuration
 * </pre>
 * File system: a fresh temporary directory (deleted on close). S3: a fresh bucket on the shared
 * {@link S3ProxyFixture}, under the prefix {@code "reg"}. {@link #startAnother()} runs a second
 * server on the same storage; {@link #gc} collects it; {@link #keys} and {@link #setModified} look
 * at and age what the storage holds, by the storage's own layout.
 */
public final class RegistryFixture implements AutoCloseable {
  public enum Storage { FILESYSTEM, S3 }

  public static final String S3_PREFIX = "reg";

  private final Storage storage;
  private final RegistryConfig config;
  private final Path dir; // temporary: holds the storage root (file system) and nothing else of ours
  private final S3ProxyFixture s3;
  private final String bucket;
  private final List<RegistryServer> servers = new ArrayList<>();

  private RegistryFixture(Storage storage, RegistryConfig config, Path dir, S3ProxyFixture s3, String bucket) {
    this.storage = storage;
    this.config = config;
    this.dir = dir;
    this.s3 = s3;
    this.bucket = bucket;
  }

  public static RegistryFixture start(Storage storage) throws Exception {
    return start(storage, UnaryOperator.identity());
  }

  /** {@code customize} gets the configuration with address and storage set, and may change anything else. */
  public static RegistryFixture start(Storage storage, UnaryOperator<RegistryConfig> customize) throws Exception {
    Path dir = Files.createTempDirectory("strata-registry-");
    RegistryConfig c = RegistryConfig.defaults().withAddr("127.0.0.1:0").withAccessLog("off");
    S3ProxyFixture s3 = null;
    String bucket = null;
    if (storage == Storage.S3) {
      try {
        s3 = S3ProxyFixture.shared();
        bucket = s3.createBucket();
      } catch (Exception | Error e) {
        S3ProxyFixture.deleteTree(dir);
        throw e;
      }
      c = c.withS3(s3.config(bucket, S3_PREFIX, false));
    } else {
      c = c.withRoot(dir.resolve("root"));
    }
    c = customize.apply(c);
    RegistryFixture f = new RegistryFixture(storage, c, dir, s3, bucket);
    try {
      f.startAnother();
    } catch (Exception e) {
      f.close();
      throw e;
    }
    return f;
  }

  /** Starts one more server on the same configuration and storage; it stops with this fixture. Returns its port. */
  public int startAnother() throws Exception {
    return startAnother(UnaryOperator.identity());
  }

  /** One more server on the same storage with a changed configuration (read-only, say); it stops with this fixture. */
  public int startAnother(UnaryOperator<RegistryConfig> change) throws Exception {
    RegistryServer s = RegistryServer.start(change.apply(config));
    synchronized (servers) {
      servers.add(s);
    }
    return s.port();
  }

  public Storage storage() {
    return storage;
  }

  public RegistryConfig config() {
    return config;
  }

  /** The first server's port. */
  public int port() {
    return servers.getFirst().port();
  }

  /** {@code 127.0.0.1:PORT}, as an image reference's registry part. */
  public String host() {
    return "127.0.0.1:" + port();
  }

  public URI uri() {
    return URI.create("http://" + host());
  }

  /** A directory of this fixture's for the test's own files (deleted on close), beside the storage. */
  public Path scratch() throws IOException {
    return Files.createDirectories(dir.resolve("scratch"));
  }

  /** Collects garbage on this storage, as {@code strata registry gc} does. */
  public RegistryGc.Report gc(boolean dryRun, boolean deleteUntagged, Duration grace) throws IOException {
    return RegistryGc.run(config, dryRun, deleteUntagged, grace);
  }

  /**
   * What the storage holds under {@code under} (a path relative to its root, "" for all), sorted: file
   * paths with {@code /} below the root, or object keys without the prefix. Note the layouts differ for
   * blobs: {@code blobs/sha256/XX/HEX} on a file system, {@code blobs/sha256/HEX} on S3.
   */
  public List<String> keys(String under) throws IOException {
    List<String> out = new ArrayList<>();
    if (storage == Storage.S3) {
      for (String k : s3.keys(bucket, S3_PREFIX + "/" + under)) out.add(k.substring(S3_PREFIX.length() + 1));
    } else {
      Path root = config.root();
      Path start = root.resolve(under);
      if (!Files.exists(start)) return out;
      try (Stream<Path> s = Files.walk(start)) {
        s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
      }
    }
    out.sort(null);
    return out;
  }

  /** Whether the blob store holds {@code d}'s content (whatever any repository links). */
  public boolean blobStored(Digest d) throws IOException {
    String key = storage == Storage.S3 ? "blobs/" + d.algorithm() + "/" + d.encoded()
        : "blobs/" + d.algorithm() + "/" + d.encoded().substring(0, 2) + "/" + d.encoded();
    return keys(key).contains(key);
  }

  /**
   * Anything this storage put outside itself: on a file system, files in the fixture's temporary
   * directory outside the root (and the scratch directory); on S3, keys outside the prefix.
   */
  public List<String> outside() throws IOException {
    List<String> out = new ArrayList<>();
    if (storage == Storage.S3) {
      for (String k : s3.keys(bucket, "")) if (!k.startsWith(S3_PREFIX + "/")) out.add(k);
    } else {
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(p -> !p.startsWith(config.root()) && !p.startsWith(dir.resolve("scratch")) && !p.equals(dir))
            .forEach(p -> out.add(dir.relativize(p).toString()));
      }
    }
    return out;
  }

  /** Sets the modification time of the file or object {@code key} (as {@link #keys} names it). */
  public void setModified(String key, Instant when) throws IOException {
    if (storage == Storage.S3) {
      s3.setModified(bucket, S3_PREFIX + "/" + key, when);
    } else {
      Path f = config.root().resolve(key).normalize();
      if (!f.startsWith(config.root())) throw new IllegalArgumentException(key);
      Files.setLastModifiedTime(f, FileTime.from(when));
    }
  }

  /** Makes everything the storage holds now {@code age} old: what is written afterwards is younger. */
  public void ageEverything(Duration age) throws IOException {
    Instant when = Instant.now().minus(age);
    for (String k : keys("")) setModified(k, when);
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    synchronized (servers) {
      for (RegistryServer s : servers) {
        try {
          s.close();
        } catch (Exception e) {
          if (first == null) first = e;
        }
      }
      servers.clear();
    }
    if (s3 != null && bucket != null) {
      try {
        for (String k : s3.keys(bucket, "")) s3.client().deleteObject(r -> r.bucket(bucket).key(k));
        s3.client().deleteBucket(r -> r.bucket(bucket));
      } catch (RuntimeException e) {
        // the shared server's directory goes when it stops
      }
    }
    S3ProxyFixture.deleteTree(dir);
    if (first != null) throw first;
  }
}
