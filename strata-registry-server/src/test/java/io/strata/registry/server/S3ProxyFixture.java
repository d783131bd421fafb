package io.strata.registry.server;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for tests: S3Proxy over a temporary directory (its filesystem-nio2 store: no directory markers listed as objects, unlike jclouds' filesystem provider), in
 * a JVM of its own (it brings Jetty 11) on 127.0.0.1 and a port the kernel picks.
 *
 * <pre>
 *   S3ProxyFixture s3 = S3ProxyFixture.shared();     // one per test JVM, stopped when it exits
 *   String bucket = s3.createBucket();               // a fresh, empty bucket
 *   RegistryConfig c = RegistryConfig.defaults().withS3(s3.config(bucket, "prefix", false));
 * </pre>
 * {@link #start()} gives a private instance instead (close it). The child JVM also exits when
 * this JVM dies (it watches its stdin).
 */
public final class S3ProxyFixture implements AutoCloseable {
  public static final String ACCESS_KEY = "strata-test";
  public static final String SECRET_KEY = "strata-test-secret";
  public static final String REGION = "us-east-1";
  private static final Pattern STARTED = Pattern.compile("Started ServerConnector@\\S*\\{HTTP/1\\.1.*\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");
  private static S3ProxyFixture shared;

  private final Process process;
  private final Path dir;
  private final Path data;
  private final URI endpoint;
  private final S3Client client;

  private S3ProxyFixture(Process process, Path dir, Path data, URI endpoint) {
    this.process = process;
    this.dir = dir;
    this.data = data;
    this.endpoint = endpoint;
    this.client = S3Client.builder().region(Region.of(REGION)).endpointOverride(endpoint)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).checksumValidationEnabled(false).build())
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** The instance this JVM shares, started on first use and stopped when the JVM exits. */
  public static synchronized S3ProxyFixture shared() throws IOException, InterruptedException {
    if (shared == null || !shared.process.isAlive()) {
      S3ProxyFixture s = start();
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "s3proxy-stop"));
      shared = s;
    }
    return shared;
  }

  /** A private instance; the caller closes it. */
  public static S3ProxyFixture start() throws IOException, InterruptedException {
    String self;
    try {
      self = Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    String cp = s3proxyClassPath() + File.pathSeparator + self; // only our ChildMain, after S3Proxy's own jars
    Path dir = Files.createTempDirectory("strata-s3proxy-");
    Path data = Files.createDirectories(dir.resolve("data"));
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:0",
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem-nio2",
        "jclouds.filesystem.basedir=" + data,
        "jclouds.identity=" + ACCESS_KEY,
        "jclouds.credential=" + SECRET_KEY,
        ""));
    Path logback = dir.resolve("logback.xml");
    Files.writeString(logback, """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} -- %msg%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    Path log = dir.resolve("s3proxy.log");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-Xmx256m", "-Dlogback.configurationFile=" + logback, "-cp", cp,
        ChildMain.class.getName(), "--properties", props.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher m = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        S3ProxyFixture f = new S3ProxyFixture(p, dir, data, URI.create("http://127.0.0.1:" + m.group(1)));
        return f;
      }
      if (!p.isAlive()) break;
      Thread.sleep(50);
    }
    p.destroyForcibly();
    String why = tail(log);
    p.waitFor(10, TimeUnit.SECONDS);
    deleteTree(dir);
    throw new IOException("S3Proxy did not start; its log:\n" + why);
  }

  /** S3Proxy's class path as strata-s3-fixture wrote it (its servlet API included: see that module's POM). */
  static String s3proxyClassPath() throws IOException {
    Path file = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null && file == null; d = d.getParent()) {
      Path f = d.resolve("strata-s3-fixture/target/s3proxy-classpath.txt");
      if (Files.isRegularFile(f)) file = f;
    }
    if (file == null) throw new IOException("no strata-s3-fixture/target/s3proxy-classpath.txt: run mvn install -pl strata-s3-fixture");
    String cp = Files.readString(file).strip();
    if (!cp.contains("servlet-api")) throw new IOException(file + " lacks the servlet API S3Proxy needs: it is stale, run mvn install -pl strata-s3-fixture");
    return cp;
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client with the fixture's credentials (path-style). Do not close it. */
  public S3Client client() {
    return client;
  }

  /** Creates and returns a new empty bucket with a unique name. */
  public String createBucket() {
    String bucket = "strata-" + UUID.randomUUID().toString().substring(0, 18);
    client.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /** The registry's S3 settings for {@code bucket} under {@code prefix} on this server (path style, static keys). */
  public RegistryConfig.S3 config(String bucket, String prefix, boolean redirect) {
    return new RegistryConfig.S3(bucket, prefix, endpoint, REGION, true, ACCESS_KEY, SECRET_KEY, redirect);
  }

  /** Every key in {@code bucket} under {@code prefix}, sorted. */
  public List<String> keys(String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).forEach(out::add);
    out.sort(null);
    return out;
  }

  /**
   * Sets the modification time S3 reports for {@code key} (S3 has no such call: this changes the
   * file jclouds keeps the object in), to test what depends on an object's age.
   */
  public void setModified(String bucket, String key, Instant when) throws IOException {
    Path f = data.resolve(bucket).resolve(key);
    if (!f.normalize().startsWith(data) || !Files.isRegularFile(f)) throw new IOException("no object file for " + bucket + "/" + key);
    Files.setLastModifiedTime(f, FileTime.from(when));
  }

  @Override
  public void close() {
    client.close();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(dir);
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a temporary directory
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** S3Proxy's main in the child JVM, which exits when its parent closes the child's stdin (or dies). */
  public static final class ChildMain {
    private ChildMain() {}

    public static void main(String[] args) throws Exception {
      Thread watch = new Thread(() -> {
        try (InputStream in = System.in) {
          while (in.read() >= 0) {
            // until EOF
          }
        } catch (IOException ignored) {
          // the parent is gone
        }
        Runtime.getRuntime().halt(0);
      }, "parent-watch");
      watch.setDaemon(true);
      watch.start();
      Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class).invoke(null, (Object) args);
    }
  }
}
