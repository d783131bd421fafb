package io.strata.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.UnavailableException;
import io.strata.oci.Json;
import io.strata.oci.Reference;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Docker's credentials file, {@code config.json} in {@code $DOCKER_CONFIG} or {@code ~/.docker}:
 * {@code auths} with base64 {@code user:password} (or an {@code identitytoken}), and credential
 * helpers ({@code credHelpers} per registry, else {@code credsStore}) run as
 * {@code docker-credential-NAME get|store|erase} with their JSON protocol. Keys are registry hosts;
 * Docker Hub's is {@code https://index.docker.io/v1/}. Other keys of the file are kept as they are.
 */
public final class CredentialStore {
  public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
  private static final long HELPER_TIMEOUT_SECONDS = 30;

  private final Path file;

  public CredentialStore(Path file) {
    this.file = file;
  }

  /** The file Docker's CLI would use for this environment. */
  public static CredentialStore forEnvironment(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir == null || dir.isEmpty()) dir = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker").toString();
    return new CredentialStore(Path.of(dir, "config.json"));
  }

  public Path file() {
    return file;
  }

  /** The key a registry host is stored under. */
  public static String key(String registry) {
    return registry.equals(Reference.DEFAULT_DOMAIN) || registry.equals(Reference.LEGACY_DEFAULT_DOMAIN)
        || registry.equals("registry-1.docker.io") ? DOCKER_HUB_KEY : registry;
  }

  public Optional<Credentials> get(String registry) {
    String key = key(registry);
    ObjectNode config = read();
    String helper = helperFor(config, key);
    if (helper != null) return helperGet(helper, key);
    JsonNode auths = config.path("auths");
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (hostOf(e.getKey()).equals(hostOf(key))) return decode(e.getKey(), e.getValue());
    }
    return Optional.empty();
  }

  public void store(String registry, Credentials c) {
    String key = key(registry);
    ObjectNode config = read();
    String helper = helperFor(config, key);
    if (helper != null) {
      ObjectNode msg = Json.mapper().createObjectNode().put("ServerURL", key)
          .put("Username", c.identityToken() != null ? "<token>" : c.username()) // Docker's mark of an identity token
          .put("Secret", c.identityToken() != null ? c.identityToken() : c.secret());
      runHelper(helper, "store", Json.write(msg));
      return;
    }
    ObjectNode entry = config.with("auths").putObject(key);
    entry.put("auth", Base64.getEncoder().encodeToString((c.username() + ":" + (c.secret() == null ? "" : c.secret()))
        .getBytes(StandardCharsets.UTF_8)));
    if (c.identityToken() != null) entry.put("identitytoken", c.identityToken());
    write(config);
  }

  /** Forgets a registry's credentials; false when there were none. */
  public boolean erase(String registry) {
    String key = key(registry);
    ObjectNode config = read();
    String helper = helperFor(config, key);
    if (helper != null) {
      runHelper(helper, "erase", key.getBytes(StandardCharsets.UTF_8));
      return true;
    }
    JsonNode auths = config.path("auths");
    if (!(auths instanceof ObjectNode o) || o.remove(key) == null) return false;
    write(config);
    return true;
  }

  private ObjectNode read() {
    try {
      byte[] raw = Files.readAllBytes(file);
      if (raw.length == 0) return Json.mapper().createObjectNode();
      if (!(Json.readTree(raw, file.toString()) instanceof ObjectNode o)) {
        throw new InvalidArgumentException(file + ": not a JSON object");
      }
      return o;
    } catch (NoSuchFileException e) {
      return Json.mapper().createObjectNode();
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file, e);
    }
  }

  /** Written beside itself and renamed into place, mode 0600: it holds secrets. */
  private void write(ObjectNode config) {
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".config.json.", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        try (OutputStream out = Files.newOutputStream(temp)) {
          out.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
          out.write('\n');
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("write " + file, e);
    }
  }

  private static String helperFor(ObjectNode config, String key) {
    JsonNode helpers = config.path("credHelpers");
    String perHost = helpers.path(key).asText(helpers.path(hostOf(key)).asText(""));
    if (!perHost.isEmpty()) return perHost;
    String store = config.path("credsStore").asText("");
    return store.isEmpty() ? null : store;
  }

  private static Optional<Credentials> decode(String key, JsonNode entry) {
    String identity = entry.path("identitytoken").asText("");
    String auth = entry.path("auth").asText("");
    if (auth.isEmpty()) {
      return identity.isEmpty() ? Optional.empty() : Optional.of(new Credentials("<token>", null, identity));
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("credentials for " + key + ": auth is not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidArgumentException("credentials for " + key + ": auth is not user:password");
    return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1),
        identity.isEmpty() ? null : identity));
  }

  private static Optional<Credentials> helperGet(String helper, String key) {
    HelperResult r = runHelperRaw(helper, "get", key.getBytes(StandardCharsets.UTF_8));
    if (r.code != 0) {
      if (r.out.contains("credentials not found")) return Optional.empty();
      throw new UnavailableException("credential helper docker-credential-" + helper + ": " + firstLine(r.out), null);
    }
    JsonNode n = Json.readTree(r.out.getBytes(StandardCharsets.UTF_8), "docker-credential-" + helper + " output");
    String user = n.path("Username").asText("");
    String secret = n.path("Secret").asText("");
    if (user.equals("<token>")) return Optional.of(new Credentials(user, null, secret));
    return Optional.of(new Credentials(user, secret, null));
  }

  private static void runHelper(String helper, String action, byte[] input) {
    HelperResult r = runHelperRaw(helper, action, input);
    if (r.code != 0) {
      throw new UnavailableException("credential helper docker-credential-" + helper + " " + action + ": " + firstLine(r.out), null);
    }
  }

  private record HelperResult(int code, String out) {}

  private static HelperResult runHelperRaw(String helper, String action, byte[] input) {
    if (!helper.matches("[A-Za-z0-9._-]+")) throw new InvalidArgumentException("invalid credential helper name " + helper);
    try {
      Process p = new ProcessBuilder("docker-credential-" + helper, action).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(input);
      }
      java.util.concurrent.CompletableFuture<byte[]> out = new java.util.concurrent.CompletableFuture<>();
      Thread.ofVirtual().start(() -> { // read aside: a helper that never closes its output must not hang strata
        try {
          out.complete(p.getInputStream().readNBytes(1 << 20));
        } catch (IOException e) {
          out.complete(new byte[0]);
        }
      });
      if (!p.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UnavailableException("credential helper docker-credential-" + helper + " timed out", null);
      }
      byte[] bytes = out.get(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new HelperResult(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UnavailableException("credential helper docker-credential-" + helper + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new UnavailableException("credential helper docker-credential-" + helper + ": its output did not end", e);
    }
  }

  /** {@code https://host:port/path} and {@code host:port} name the same registry (Docker's ConvertToHostname). */
  static String hostOf(String key) {
    String s = key;
    if (s.startsWith("http://")) s = s.substring(7);
    else if (s.startsWith("https://")) s = s.substring(8);
    int slash = s.indexOf('/');
    s = slash < 0 ? s : s.substring(0, slash);
    return s.equals("index.docker.io") || s.equals("registry-1.docker.io") ? "docker.io" : s;
  }

  private static String firstLine(String s) {
    String line = s.strip();
    int nl = line.indexOf('\n');
    return nl < 0 ? line : line.substring(0, nl);
  }
}
