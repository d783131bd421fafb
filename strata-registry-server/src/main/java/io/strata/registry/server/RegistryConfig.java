package io.strata.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code strata registry serve}'s configuration: a JSON file (below) whose values flags override.
 * <pre>
 * {"addr": "127.0.0.1:5000",
 *  "storage": {"filesystem": {"root": "DIR"}}
 *           | {"s3": {"bucket": "B", "prefix": "P", "endpoint": "URL", "region": "R", "pathStyle": true,
 *                     "accessKey": "K", "secretKey": "S", "redirect": false}},
 *  "auth": {"htpasswd": "FILE", "token": {"realm": "URL", "service": "S", "key": "BASE64"},
 *           "anonymousRead": false, "acl": [{"user": "U|*", "repository": "GLOB", "actions": ["pull", "push", "delete"]}]},
 *  "tls": {"cert": "PEM", "key": "PKCS8-PEM"}, "readOnly": false, "delete": true, "accessLog": "-|FILE|off"}
 * </pre>
 */
public record RegistryConfig(String addr, Path root, S3 s3, Path htpasswd, Token token, boolean anonymousRead,
    List<Access.Acl.Entry> acl, Path tlsCert, Path tlsKey, boolean readOnly, boolean delete, String accessLog) {

  /** S3 storage; {@code accessKey}/{@code secretKey} null: the SDK's default chain (environment, profile). */
  public record S3(String bucket, String prefix, URI endpoint, String region, boolean pathStyle, String accessKey,
      String secretKey, boolean redirect) {}

  /** Token authentication: the realm clients are sent to, the service name, the shared signing key (null: random). */
  public record Token(String realm, String service, byte[] key) {}

  public static RegistryConfig defaults() {
    return new RegistryConfig("127.0.0.1:5000", Path.of("/var/lib/strata-registry"), null, null, null, false, List.of(),
        null, null, false, true, "-");
  }

  public static RegistryConfig load(Path file) {
    JsonNode n;
    try {
      n = Json.readTree(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file, e);
    }
    RegistryConfig d = defaults();
    JsonNode storage = n.path("storage");
    S3 s3 = null;
    if (storage.has("s3")) {
      JsonNode s = storage.get("s3");
      if (!s.hasNonNull("bucket")) throw new InvalidArgumentException(file + ": storage.s3.bucket is required");
      s3 = new S3(s.get("bucket").asText(), s.path("prefix").asText(""),
          s.hasNonNull("endpoint") ? URI.create(s.get("endpoint").asText()) : null, s.path("region").asText("us-east-1"),
          s.path("pathStyle").asBoolean(false), text(s, "accessKey"), text(s, "secretKey"), s.path("redirect").asBoolean(false));
    }
    Path root = storage.path("filesystem").hasNonNull("root") ? Path.of(storage.path("filesystem").get("root").asText()) : d.root();
    JsonNode auth = n.path("auth");
    Token token = null;
    if (auth.has("token")) {
      JsonNode t = auth.get("token");
      token = new Token(text(t, "realm"), t.path("service").asText("strata-registry"),
          t.hasNonNull("key") ? Base64.getDecoder().decode(t.get("key").asText()) : null);
    }
    List<Access.Acl.Entry> acl = new ArrayList<>();
    for (JsonNode e : auth.path("acl")) {
      Set<String> actions = new TreeSet<>();
      e.path("actions").forEach(a -> actions.add(a.asText()));
      acl.add(new Access.Acl.Entry(e.path("user").asText("*"), e.path("repository").asText("*"), actions));
    }
    return new RegistryConfig(n.path("addr").asText(d.addr()), root, s3,
        auth.hasNonNull("htpasswd") ? Path.of(auth.get("htpasswd").asText()) : null, token,
        auth.path("anonymousRead").asBoolean(false), acl,
        n.path("tls").hasNonNull("cert") ? Path.of(n.path("tls").get("cert").asText()) : null,
        n.path("tls").hasNonNull("key") ? Path.of(n.path("tls").get("key").asText()) : null,
        n.path("readOnly").asBoolean(false), n.path("delete").asBoolean(true), n.path("accessLog").asText("-"));
  }

  private static String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  public RegistryConfig withAddr(String a) {
    return new RegistryConfig(a, root, s3, htpasswd, token, anonymousRead, acl, tlsCert, tlsKey, readOnly, delete, accessLog);
  }

  public RegistryConfig withRoot(Path r) {
    return new RegistryConfig(addr, r, null, htpasswd, token, anonymousRead, acl, tlsCert, tlsKey, readOnly, delete, accessLog);
  }

  public RegistryConfig withS3(S3 s) {
    return new RegistryConfig(addr, root, s, htpasswd, token, anonymousRead, acl, tlsCert, tlsKey, readOnly, delete, accessLog);
  }

  public RegistryConfig withAuth(Path htpasswdFile, Token t, boolean anonymous) {
    return new RegistryConfig(addr, root, s3, htpasswdFile, t, anonymous, acl, tlsCert, tlsKey, readOnly, delete, accessLog);
  }

  public RegistryConfig withTls(Path cert, Path key) {
    return new RegistryConfig(addr, root, s3, htpasswd, token, anonymousRead, acl, cert, key, readOnly, delete, accessLog);
  }

  public RegistryConfig withReadOnly(boolean ro) {
    return new RegistryConfig(addr, root, s3, htpasswd, token, anonymousRead, acl, tlsCert, tlsKey, ro, delete, accessLog);
  }

  public RegistryConfig withAccessLog(String log) {
    return new RegistryConfig(addr, root, s3, htpasswd, token, anonymousRead, acl, tlsCert, tlsKey, readOnly, delete, log);
  }

  /** The storage this configuration names. */
  RegistryStorage openStorage() {
    try {
      return s3 != null ? S3Storage.open(s3) : new FilesystemStorage(root);
    } catch (IOException e) {
      throw new UncheckedIOException("open the registry's storage", e);
    }
  }
}
