package io.strata.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How strata talks to registries, with Docker's {@code daemon.json} keys: {@code insecure-registries}
 * (plain HTTP allowed; loopback always is), {@code registry-mirrors} (tried first for Docker Hub,
 * falling back to it), {@code max-concurrent-downloads}, {@code max-concurrent-uploads}.
 *
 * @param insecure hosts ({@code host[:port]}) or CIDR blocks where plain HTTP is allowed
 * @param mirrors base URLs of Docker Hub mirrors, in order
 */
public record RegistryOptions(List<String> insecure, List<URI> mirrors, int maxConcurrentDownloads,
    int maxConcurrentUploads, List<Path> certsDirs) {
  /** Where a registry's own CA certificates are looked for ({@code DIR/HOST[:PORT]/*.crt}), as Docker's certs.d. */
  public static final List<Path> DEFAULT_CERTS_DIRS = List.of(Path.of("/etc/docker/certs.d"), Path.of("/etc/strata/certs.d"));

  /** Docker downloads 3 layers at once; strata more, since the unpack runs beside the download. */
  public static final int DEFAULT_DOWNLOADS = 8;
  public static final int DEFAULT_UPLOADS = 5;

  public RegistryOptions {
    insecure = List.copyOf(insecure);
    mirrors = List.copyOf(mirrors);
    certsDirs = List.copyOf(certsDirs);
    if (maxConcurrentDownloads < 1 || maxConcurrentUploads < 1) {
      throw new InvalidArgumentException("registry options: concurrency must be at least 1");
    }
  }

  public static RegistryOptions defaults() {
    return new RegistryOptions(List.of(), List.of(), DEFAULT_DOWNLOADS, DEFAULT_UPLOADS, DEFAULT_CERTS_DIRS);
  }

  /** Reads a {@code daemon.json}-style file; a missing file gives the defaults. */
  public static RegistryOptions load(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return defaults();
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file, e);
    }
    JsonNode n = Json.readTree(raw, file.toString());
    List<String> insecure = new ArrayList<>();
    n.path("insecure-registries").forEach(v -> insecure.add(v.asText()));
    List<URI> mirrors = new ArrayList<>();
    n.path("registry-mirrors").forEach(v -> mirrors.add(mirror(v.asText(), file)));
    return new RegistryOptions(insecure, mirrors, n.path("max-concurrent-downloads").asInt(DEFAULT_DOWNLOADS),
        n.path("max-concurrent-uploads").asInt(DEFAULT_UPLOADS), DEFAULT_CERTS_DIRS);
  }

  public RegistryOptions withInsecure(List<String> more) {
    List<String> all = new ArrayList<>(insecure);
    all.addAll(more);
    return new RegistryOptions(all, mirrors, maxConcurrentDownloads, maxConcurrentUploads, certsDirs);
  }

  public RegistryOptions withMaxConcurrentDownloads(int n) {
    return new RegistryOptions(insecure, mirrors, n, maxConcurrentUploads, certsDirs);
  }

  /** A certs.d directory searched before the defaults ({@code $STRATA_CERTS_D}). */
  public RegistryOptions withCertsDir(Path dir) {
    List<Path> all = new ArrayList<>(List.of(dir));
    all.addAll(certsDirs);
    return new RegistryOptions(insecure, mirrors, maxConcurrentDownloads, maxConcurrentUploads, all);
  }

  private static URI mirror(String s, Path file) {
    try {
      URI u = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
      if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) throw new IllegalArgumentException("scheme");
      return u;
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(file + ": invalid registry mirror " + s);
    }
  }

  /**
   * Whether {@code host} ({@code name[:port]}) may be spoken to in plain HTTP: loopback (localhost,
   * 127.0.0.0/8, ::1) always, as Docker does, and what the options list.
   */
  public boolean allowsPlainHttp(String host) {
    String name = hostName(host).toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || name.endsWith(".localhost") || name.startsWith("127.") || name.equals("::1")) return true;
    for (String entry : insecure) {
      if (entry.equalsIgnoreCase(host) || entry.equalsIgnoreCase(name)) return true;
      if (entry.contains("/") && inCidr(name, entry)) return true;
    }
    return false;
  }

  static String hostName(String host) {
    if (host.startsWith("[")) return host.substring(1, host.indexOf(']'));
    int colon = host.lastIndexOf(':');
    return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
  }

  private static boolean inCidr(String name, String cidr) {
    if (!name.matches("[0-9.]+")) return false; // only literal addresses are matched: no DNS look-up
    try {
      String[] parts = cidr.split("/");
      byte[] net = InetAddress.getByName(parts[0]).getAddress();
      byte[] addr = InetAddress.getByName(name).getAddress();
      int bits = Integer.parseInt(parts[1]);
      if (net.length != addr.length) return false;
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((net[i / 8] & mask) != (addr[i / 8] & mask)) return false;
      }
      return true;
    } catch (UnknownHostException | RuntimeException e) {
      return false;
    }
  }
}
