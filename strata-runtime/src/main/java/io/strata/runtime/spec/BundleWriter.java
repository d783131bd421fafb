package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.InRoot;
import io.strata.oci.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a runtime-spec bundle for runc: {@code config.json} as Docker makes it (see
 * {@link RuntimeSpec}), plus the container's {@code hostname}, {@code hosts} and
 * {@code resolv.conf}, which the spec bind-mounts over the image's.
 */
public final class BundleWriter {
  private static final int MAX_HOSTNAME_BYTES = 64; // HOST_NAME_MAX

  private BundleWriter() {}

  /**
   * Writes {@code bundleDir/config.json} for {@code rootfs} (the mounted root) and the three files it
   * mounts; each file is written to a temporary name then moved, and config.json comes last, so a
   * bundle with a config.json is complete. Returns the config.json path.
   */
  public static Path write(Path bundleDir, Path rootfs, ContainerSettings s, ResolvedUser user) {
    validate(s);
    Path bundle = bundleDir.toAbsolutePath();
    Path root = rootfs.toAbsolutePath();
    if (!Files.isDirectory(root)) throw new InvalidArgumentException("rootfs " + root + " is not a directory");
    String cwd = workdir(s);
    checkResolvedWorkdir(root, s.workingDir(), cwd);
    try {
      Files.createDirectories(bundle);
      writeAtomically(bundle.resolve("hostname"), s.hostname() + "\n");
      writeAtomically(bundle.resolve("hosts"), HostFiles.hosts(s.network(), s.hostname(), s.networkSetup()));
      writeAtomically(bundle.resolve("resolv.conf"), HostFiles.resolvConf(s.network(), s.networkSetup()));
      Path config = bundle.resolve("config.json");
      String json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(RuntimeSpec.of(bundle, root, s, user, cwd));
      writeAtomically(config, json + "\n");
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException("write bundle " + bundle, e);
    }
  }

  /**
   * Writes the process.json of an exec ({@code runc exec --process}): the process section
   * config.json would have for these settings and this user, so an exec gets exactly the user's
   * groups and home, not those of the container's first process.
   */
  public static Path writeProcess(Path file, ContainerSettings s, ResolvedUser user) {
    if (s.args().isEmpty()) throw new InvalidArgumentException("No command specified");
    ProcessEnv.validate(s.env());
    try {
      writeAtomically(file, Json.mapper().writeValueAsString(RuntimeSpec.process(s, user, workdir(s))) + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("write " + file, e);
    }
  }

  /** The resources document of {@code runc update -r} for a running container's new limits. */
  public static byte[] resourcesUpdate(Resources r) {
    return RuntimeSpec.resourcesUpdate(r);
  }

  /**
   * The checks that need no filesystem, run before anything is written: a command, the hostname,
   * the environment, the working directory (S29), the image's volume paths (S31), one bind per
   * destination, the privileges, limits and devices ({@link HostConfig#check}).
   */
  public static void validate(ContainerSettings s) {
    if (s.args().isEmpty()) throw new InvalidArgumentException("No command specified");
    s.host().check();
    hostname(s.hostname());
    ProcessEnv.validate(s.env());
    workdir(s);
    for (String v : s.imageVolumes().keySet()) ContainerPaths.absoluteNoDotDot(v, "volume path");
    Set<String> destinations = new HashSet<>();
    for (String d : java.util.stream.Stream.concat(s.binds().stream().map(BindMount::destination),
        s.tmpfs().stream().map(TmpfsMount::destination)).toList()) {
      if (!destinations.add(d)) throw new InvalidArgumentException("Duplicate mount point: " + d);
    }
  }

  /**
   * The working directory, made absolute and cleaned. Anything under /proc is refused
   * (CVE-2024-21626: a leaked fd as {@code /proc/self/fd/N} would give the process a cwd on the host).
   */
  public static String workdir(ContainerSettings s) {
    String cwd = InRoot.clean(s.workingDir()); // Go's filepath.Join("/", dir), as Docker
    if (ContainerPaths.isWithin(cwd, "/proc")) {
      throw new InvalidArgumentException("invalid working directory " + s.workingDir() + ": inside /proc");
    }
    return cwd;
  }

  /** The same check through the image's symlinks: {@code /work -> /proc/self/fd/7} must not get by either. */
  private static void checkResolvedWorkdir(Path root, String raw, String cwd) {
    try {
      Path resolved = InRoot.resolve(root, cwd);
      if (resolved.startsWith(root.resolve("proc"))) {
        throw new InvalidArgumentException("invalid working directory " + raw + ": inside /proc");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("resolve working directory " + raw, e);
    }
  }

  /** What the kernel takes, and a single line: the name goes into /etc/hosts and /etc/hostname. */
  private static void hostname(String h) {
    if (h.isEmpty()) throw new InvalidArgumentException("a hostname is required");
    if (h.getBytes(StandardCharsets.UTF_8).length > MAX_HOSTNAME_BYTES) {
      throw new InvalidArgumentException("hostname \"" + h + "\" is too long (maximum " + MAX_HOSTNAME_BYTES + " bytes)");
    }
    if (h.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '#')) {
      throw new InvalidArgumentException("invalid hostname \"" + h.replaceAll("\\p{Cntrl}", "?")
          + "\": whitespace, control characters and # are not allowed");
    }
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--")); // the container's users read them
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
