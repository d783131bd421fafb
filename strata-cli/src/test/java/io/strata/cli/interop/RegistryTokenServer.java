package io.strata.cli.interop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The token endpoint of a registry in token mode (the distribution token spec): checks basic
 * credentials and issues RS256 JWTs for the scopes asked for, signed with a key and self-signed
 * certificate made by the JDK's keytool (the certificate is the registry's {@code rootcertbundle}
 * and travels in the token's {@code x5c} header). Anonymous requests get a token with no access,
 * as Docker Hub's endpoint does; wrong credentials get a 401.
 */
final class RegistryTokenServer implements AutoCloseable {
  static final String SERVICE = "strata-test-registry";
  static final String ISSUER = "strata-test-issuer";
  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  /** One request to the endpoint: who asked (null: anonymous), for what, and whether it was granted. */
  record Issued(String user, List<String> scopes, boolean granted) {}

  private final HttpServer server;
  private final ExecutorService threads;
  private final PrivateKey key;
  private final X509Certificate cert;
  private final Path bundle;
  private final String user;
  private final String password;
  private final List<Issued> issued = new CopyOnWriteArrayList<>();

  private RegistryTokenServer(HttpServer server, ExecutorService threads, PrivateKey key, X509Certificate cert, Path bundle,
      String user, String password) {
    this.server = server;
    this.threads = threads;
    this.key = key;
    this.cert = cert;
    this.bundle = bundle;
    this.user = user;
    this.password = password;
  }

  static RegistryTokenServer start(Path dir, String user, String password) throws IOException {
    Files.createDirectories(dir);
    Path p12 = dir.resolve("token.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    ExternalTools.run(List.of(keytool, "-genkeypair", "-noprompt", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048",
        "-sigalg", "SHA256withRSA", "-dname", "CN=strata-test-token", "-validity", "2", "-keystore", p12.toString(),
        "-storetype", "PKCS12", "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD)));
    PrivateKey key;
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(p12)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, STORE_PASSWORD);
      key = (PrivateKey) ks.getKey("token", STORE_PASSWORD);
      cert = (X509Certificate) ks.getCertificate("token");
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("read " + p12, e);
    }
    Path bundle = dir.resolve("root.crt");
    try {
      Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n");
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IOException(e);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(threads);
    RegistryTokenServer t = new RegistryTokenServer(server, threads, key, cert, bundle, user, password);
    server.createContext("/token", t::handle);
    server.start();
    return t;
  }

  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  Path rootCertBundle() {
    return bundle;
  }

  List<Issued> issued() {
    return List.copyOf(issued);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getRequestBody().readNBytes(1 << 16);
      List<String> scopes = new ArrayList<>();
      String query = ex.getRequestURI().getRawQuery();
      if (query != null) {
        for (String kv : query.split("&")) {
          int eq = kv.indexOf('=');
          if (eq > 0 && kv.substring(0, eq).equals("scope")) {
            for (String s : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8).split(" ")) if (!s.isBlank()) scopes.add(s);
          }
        }
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String who = null;
      if (auth != null) {
        String decoded = auth.startsWith("Basic ")
            ? new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8) : "";
        if (!decoded.equals(user + ":" + password)) {
          issued.add(new Issued(decoded.replaceFirst(":.*", ""), scopes, false));
          send(ex, 401, "{\"details\":\"incorrect username or password\"}");
          return;
        }
        who = user;
      }
      issued.add(new Issued(who, scopes, true));
      long now = Instant.now().getEpochSecond();
      ObjectNode claims = Json.mapper().createObjectNode().put("iss", ISSUER).put("sub", who == null ? "" : who)
          .put("aud", SERVICE).put("exp", now + 300).put("nbf", now - 10).put("iat", now)
          .put("jti", UUID.randomUUID().toString());
      ArrayNode access = claims.putArray("access");
      if (who != null) {
        for (String s : scopes) { // type:name:actions; the name may hold no ':' in repository scopes
          int first = s.indexOf(':');
          int last = s.lastIndexOf(':');
          if (first < 0 || last == first) continue;
          ObjectNode a = access.addObject().put("type", s.substring(0, first)).put("name", s.substring(first + 1, last));
          ArrayNode actions = a.putArray("actions");
          for (String action : s.substring(last + 1).split(",")) actions.add(action);
        }
      }
      String jwt = sign(claims);
      ObjectNode body = Json.mapper().createObjectNode().put("token", jwt).put("access_token", jwt).put("expires_in", 300)
          .put("issued_at", Instant.ofEpochSecond(now).toString());
      send(ex, 200, Json.mapper().writeValueAsString(body));
    }
  }

  private String sign(ObjectNode claims) throws IOException {
    try {
      ObjectNode header = Json.mapper().createObjectNode().put("typ", "JWT").put("alg", "RS256");
      header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String signingInput = url.encodeToString(Json.mapper().writeValueAsBytes(header)) + "."
          + url.encodeToString(Json.mapper().writeValueAsBytes(claims));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + url.encodeToString(s.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("sign token", e);
    }
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.close();
  }
}
