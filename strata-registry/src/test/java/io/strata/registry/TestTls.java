package io.strata.registry;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** One self-signed certificate for 127.0.0.1 per test JVM, made with the JDK's keytool. */
final class TestTls {
  private static final char[] PASS = "changeit".toCharArray();
  private static SSLContext context;

  private TestTls() {}

  static synchronized SSLContext context() {
    if (context != null) return context;
    Path dir = null;
    try {
      dir = Files.createTempDirectory("strata-test-tls");
      Path ks = dir.resolve("ks.p12");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "registry", "-dname", "CN=127.0.0.1",
          "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
          "-storepass", new String(PASS)).redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(ks)) {
        store.load(in, PASS);
      }
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, PASS);
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(kmf.getKeyManagers(), null, null);
      return context = c;
    } catch (Exception e) {
      throw new IllegalStateException("test TLS context", e);
    } finally {
      if (dir != null) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (Exception ignored) {
          // a temp dir
        }
      }
    }
  }
}
