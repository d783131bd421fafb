package io.strata.cli.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real registry, distribution's {@code docker-registry serve}, on 127.0.0.1 and a free port, its
 * filesystem storage in a directory of the test: without authentication, with htpasswd basic
 * authentication, or with token authentication against a {@link RegistryTokenServer} this class
 * starts. {@link #close()} stops the process (and the token server).
 */
final class RegistryServer implements AutoCloseable {
  enum Auth { NONE, BASIC, TOKEN }

  static final String USER = "strata-user";
  static final String PASSWORD = "s3cret-Pa55";
  private static final Pattern METHOD = Pattern.compile("http\\.request\\.method=(\\S+)");
  private static final Pattern URI_FIELD = Pattern.compile("http\\.request\\.uri=\"([^\"]*)\"");
  private static final Pattern STATUS = Pattern.compile("http\\.response\\.status=(\\d+)");

  private final Path dir;
  private final Process process;
  private final int port;
  private final Path log;
  private final RegistryTokenServer tokens;

  private RegistryServer(Path dir, Process process, int port, Path log, RegistryTokenServer tokens) {
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.log = log;
    this.tokens = tokens;
  }

  /** Starts a registry with its storage and config under {@code dir}; a few ports are tried when one is taken meanwhile. */
  static RegistryServer start(Path dir, Auth auth) throws IOException, InterruptedException {
    ExternalTools.require("docker-registry");
    Files.createDirectories(dir);
    RegistryTokenServer tokens = null;
    String authYaml = "";
    if (auth == Auth.BASIC) {
      ExternalTools.require("htpasswd");
      Path htpasswd = dir.resolve("htpasswd");
      Files.writeString(htpasswd, ExternalTools.run(List.of("htpasswd", "-Bbn", USER, PASSWORD)));
      authYaml = "auth:\n  htpasswd:\n    realm: strata-test\n    path: " + htpasswd + "\n";
    } else if (auth == Auth.TOKEN) {
      tokens = RegistryTokenServer.start(dir.resolve("token"), USER, PASSWORD);
      authYaml = "auth:\n  token:\n    realm: " + tokens.realm() + "\n    service: " + RegistryTokenServer.SERVICE
          + "\n    issuer: " + RegistryTokenServer.ISSUER + "\n    rootcertbundle: " + tokens.rootCertBundle() + "\n";
    }
    try {
      for (int attempt = 1; attempt <= 3; attempt++) {
        int port = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: %s
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:%d
            """.formatted(dir.resolve("data"), port) + authYaml);
        Path log = dir.resolve("registry-" + attempt + ".log");
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (ready(p, port)) return new RegistryServer(dir, p, port, log, tokens);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (!out.contains("address already in use")) throw new IllegalStateException("docker-registry did not start:\n" + out);
      }
      throw new IllegalStateException("docker-registry: no free port in 3 attempts");
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (tokens != null) tokens.close();
      throw e;
    }
  }

  /** Until {@code /v2/} answers (any status), the process dies, or 15 s pass. */
  private static boolean ready(Process p, int port) throws InterruptedException {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
          .timeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      for (int i = 0; i < 300 && System.nanoTime() < deadline && p.isAlive(); i++) {
        try {
          http.send(ping, HttpResponse.BodyHandlers.discarding());
          return true;
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, the registry part of image references. */
  String host() {
    return "127.0.0.1:" + port;
  }

  RegistryTokenServer tokens() {
    return tokens;
  }

  /** The blobs the registry stores: digest → size of its {@code data} file. */
  Map<String, Long> blobs() throws IOException {
    Path root = dir.resolve("data/docker/registry/v2/blobs");
    Map<String, Long> out = new TreeMap<>();
    if (!Files.isDirectory(root)) return out;
    try (Stream<Path> files = Files.walk(root, 4)) {
      for (Path f : files.filter(f -> f.getFileName().toString().equals("data") && Files.isRegularFile(f)).toList()) {
        Path d = f.getParent();
        out.put(d.getParent().getParent().getFileName() + ":" + d.getFileName(), Files.size(f));
      }
    }
    return out;
  }

  /** The manifest {@code ref} (tag or digest) of {@code repo} as the registry serves it (no authentication). */
  com.fasterxml.jackson.databind.JsonNode manifest(String repo, String ref) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/manifests/" + ref))
          .header("Accept", io.strata.registry.Resolver.ACCEPT).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) throw new IOException("manifest " + repo + ":" + ref + ": status " + r.statusCode());
      return io.strata.oci.Json.readTree(r.body(), "manifest");
    }
  }

  /** A request the registry logged as completed. */
  record Logged(String method, String uri, int status) {}

  /** Every completed request in the registry's log so far. */
  List<Logged> requests() throws IOException {
    List<Logged> out = new ArrayList<>();
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (!line.contains("response completed")) continue;
      Matcher m = METHOD.matcher(line);
      Matcher u = URI_FIELD.matcher(line);
      Matcher s = STATUS.matcher(line);
      if (m.find() && u.find() && s.find()) out.add(new Logged(m.group(1), u.group(1), Integer.parseInt(s.group(1))));
    }
    return out;
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    if (tokens != null) tokens.close();
  }
}
