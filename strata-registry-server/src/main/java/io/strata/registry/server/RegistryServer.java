package io.strata.registry.server;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code strata registry serve}: Jetty 12 with requests handled on virtual threads (selectors stay on
 * platform threads), HTTP/1.1, TLS from a PEM certificate and key when configured, and a graceful
 * stop that lets running requests finish (up to 30 s).
 */
public final class RegistryServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final RegistryStorage storage;
  private final PrintStream accessLog;

  private RegistryServer(Server server, ServerConnector connector, RegistryStorage storage, PrintStream accessLog) {
    this.server = server;
    this.connector = connector;
    this.storage = storage;
    this.accessLog = accessLog;
  }

  public static RegistryServer start(RegistryConfig c) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("registry");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setOutputBufferSize(256 * 1024);
    ServerConnector connector;
    if (c.tlsCert() != null) {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStore(keyStore(c.tlsCert(), c.tlsKey()));
      tls.setKeyStorePassword("");
      http.addCustomizer(new SecureRequestCustomizer(false));
      connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
    } else {
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
    }
    String addr = c.addr();
    int colon = addr.lastIndexOf(':');
    connector.setHost(colon <= 0 ? null : addr.substring(0, colon).replace("[", "").replace("]", ""));
    connector.setPort(Integer.parseInt(addr.substring(colon + 1)));
    server.addConnector(connector);
    RegistryStorage storage = c.openStorage();
    Access access = access(c);
    TokenEndpoint tokens = access.mode() == Access.Mode.TOKEN ? new TokenEndpoint(access, access.issuer()) : null;
    PrintStream log = switch (c.accessLog()) {
      case "off" -> null;
      case "-" -> new PrintStream(new FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
      default -> new PrintStream(new FileOutputStream(c.accessLog(), true), true, StandardCharsets.UTF_8);
    };
    RegistryHandler handler = new RegistryHandler(storage, access, tokens, new Metrics(), log, c.readOnly(), c.delete(),
        c.s3() != null && c.s3().redirect());
    server.setHandler(new GracefulHandler(handler));
    server.setStopTimeout(30_000);
    server.start();
    return new RegistryServer(server, connector, storage, log);
  }

  static Access access(RegistryConfig c) throws IOException {
    Htpasswd users = c.htpasswd() == null ? null : Htpasswd.read(c.htpasswd());
    Access.Acl acl = new Access.Acl(c.acl());
    if (c.token() != null) {
      if (users == null) throw new IllegalArgumentException("token authentication needs an htpasswd file for its users");
      TokenIssuer issuer = new TokenIssuer(c.token().key() != null ? c.token().key() : TokenIssuer.randomKey(), c.token().service());
      return new Access(Access.Mode.TOKEN, users, issuer, c.anonymousRead(), acl, c.token().realm());
    }
    if (users != null) return new Access(Access.Mode.BASIC, users, null, c.anonymousRead(), acl, "strata registry");
    return Access.open();
  }

  /** The port listened on (the configured one, or the one the kernel chose for port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
    storage.close();
    if (accessLog != null) accessLog.flush();
  }

  /** A PKCS#12 key store in memory from a PEM certificate chain and a PEM PKCS#8 private key. */
  private static KeyStore keyStore(Path certFile, Path keyFile) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Certificate[] chain;
    try (var in = Files.newInputStream(certFile)) {
      chain = cf.generateCertificates(in).toArray(Certificate[]::new);
    }
    String pem = Files.readString(keyFile);
    if (!pem.contains("BEGIN PRIVATE KEY")) {
      throw new IllegalArgumentException(keyFile + ": want a PKCS#8 key (BEGIN PRIVATE KEY; openssl pkcs8 -topk8 -nocrypt converts one)");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey key = null;
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
        break;
      } catch (java.security.spec.InvalidKeySpecException e) {
        // another algorithm
      }
    }
    if (key == null) throw new IllegalArgumentException(keyFile + ": not an RSA, EC or Ed25519 PKCS#8 key");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("registry", key, new char[0], chain);
    return ks;
  }
}
