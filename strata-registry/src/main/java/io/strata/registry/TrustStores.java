package io.strata.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates a registry's TLS is checked against: the system's trust store (Debian's
 * {@code /etc/ssl/certs/ca-certificates.crt}, else the JDK's own), plus, as Docker does, the CA
 * files ({@code *.crt}) of the registry's directory in {@code certs.d}: {@code /etc/docker/certs.d/HOST/}
 * and strata's {@code $STRATA_CERTS_D/HOST/} (default {@code /etc/strata/certs.d}).
 */
final class TrustStores {
  static final Path SYSTEM_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

  private TrustStores() {}

  /** The SSL context for {@code host}, or null for the JDK's default (no system bundle, no extra CA). */
  static SSLContext forHost(String host, List<Path> certsDirs) {
    List<Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Path dir : certsDirs) certs.addAll(pemFiles(cf, dir.resolve(host)));
      if (certs.isEmpty() && !Files.isReadable(SYSTEM_BUNDLE)) return null;
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int n = 0;
      if (Files.isReadable(SYSTEM_BUNDLE)) {
        try (InputStream in = Files.newInputStream(SYSTEM_BUNDLE)) {
          for (Certificate c : cf.generateCertificates(in)) ks.setCertificateEntry("system-" + n++, c);
        }
      }
      for (Certificate c : certs) ks.setCertificateEntry("registry-" + n++, c);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("load trust store for " + host + ": " + e.getMessage(), e);
    }
  }

  private static List<Certificate> pemFiles(CertificateFactory cf, Path dir) throws IOException, GeneralSecurityException {
    List<Certificate> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.crt")) {
      for (Path f : files) {
        if (f.getFileName().toString().endsWith(".cert")) continue; // a client certificate, not a CA
        try (InputStream in = Files.newInputStream(f)) {
          out.addAll(cf.generateCertificates(in));
        }
      }
    }
    return out;
  }
}
