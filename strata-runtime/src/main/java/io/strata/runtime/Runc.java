package io.strata.runtime;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.runtime.spec.BundleWriter;
import io.strata.runtime.spec.ContainerSettings;
import io.strata.runtime.spec.UserResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OCI runtime, runc, driven through its command line with strata's own state directory
 * ({@code --root}) and a JSON log per container, whose last error explains a failed start.
 */
final class Runc {
  private static final List<String> SEARCH = List.of("/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc",
      "/usr/local/bin/runc");

  private final String binary;
  private final Path stateRoot;

  private Runc(String binary, Path stateRoot) {
    this.binary = binary;
    this.stateRoot = stateRoot;
  }

  /** The runc on this host ({@code override}, from STRATA_RUNTIME, if given), or a clear error naming what is missing. */
  static Runc find(Path storeRoot, String override) {
    List<String> candidates = override != null && !override.isEmpty() ? List.of(override) : SEARCH;
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) return new Runc(c, storeRoot.resolve("runc"));
    }
    throw new FailedPreconditionException("OCI runtime runc not found (looked for " + String.join(", ", candidates)
        + "); install the runc package");
  }

  String binary() {
    return binary;
  }

  /** {@code runc run} in the foreground: the process ends when the container's process does. */
  ProcessBuilder run(String id, Path bundle) {
    return new ProcessBuilder(command(log(bundle), "run", "--bundle", bundle.toString(), "--pid-file",
        pidFile(bundle).toString(), id));
  }

  /**
   * {@code runc run} inside a pty that util-linux's {@code script} allocates: runc's foreground
   * terminal mode needs a controlling terminal, which a caller without one (a pipe, a detached
   * monitor) lacks. The pty's output, stdout and stderr as one with CRLF line ends, is script's
   * standard output, and its status the container's.
   */
  ProcessBuilder runInPty(String id, Path bundle) {
    StringBuilder sh = new StringBuilder("exec");
    for (String arg : run(id, bundle).command()) sh.append(" '").append(arg.replace("'", "'\\''")).append('\'');
    return new ProcessBuilder("script", "-qefc", sh.toString(), "/dev/null");
  }

  /** Where runc writes the process's pid once it has started it: its existence means the process ran. */
  static Path pidFile(Path bundle) {
    return bundle.resolve("init.pid");
  }

  static Path log(Path bundle) {
    return bundle.resolve("runc.log");
  }

  /**
   * Readies {@code bundle} for one start over the mounted {@code rootfs}: the command must exist
   * there (Docker's 126/127), the user resolves inside it, then config.json and its files are
   * written; a previous start's pid file and log are cleared.
   */
  static void prepareBundle(Path bundle, Path rootfs, ContainerSettings settings) {
    try {
      Files.deleteIfExists(pidFile(bundle));
      Files.deleteIfExists(log(bundle));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("clear " + bundle, e);
    }
    ExecCheck.check(rootfs, settings.args(), settings.env(), BundleWriter.workdir(settings));
    BundleWriter.write(bundle, rootfs, settings, UserResolver.resolve(rootfs, settings.user(), settings.host().groupAdd()));
  }

  /** After {@code runc run} returned {@code status}: null when it had started the process, else why it could not. */
  static ExecFailure startFailure(Path bundle, int status) {
    if (Files.exists(pidFile(bundle))) return null;
    String error = lastError(log(bundle));
    return new ExecFailure(ExecFailure.RUNTIME, "OCI runtime create failed: " + (error == null ? "runc exited " + status : error));
  }

  ProcessBuilder exec(String id, List<String> options, List<String> args) {
    List<String> cmd = command(null, "exec");
    cmd.addAll(options);
    cmd.add(id);
    cmd.addAll(args);
    return new ProcessBuilder(cmd);
  }

  /** Sends a signal; false when runc knows no such running container. */
  boolean kill(String id, String signal) {
    return quiet("kill", id, signal) == 0;
  }

  void pause(String id) {
    check("pause", id);
  }

  void resume(String id) {
    check("resume", id);
  }

  /** {@code runc update -r -}: new cgroup limits for a running container, as a runtime-spec resources object. */
  void update(String id, byte[] resources) {
    try {
      Process p = new ProcessBuilder(command(null, "update", "--resources", "-", id)).redirectErrorStream(true).start();
      try (var in = p.getOutputStream()) {
        in.write(resources);
      }
      String out = new String(p.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new FailedPreconditionException("runc update " + id + ": timed out");
      }
      if (p.exitValue() != 0) throw new FailedPreconditionException(out.isEmpty() ? "runc update exited " + p.exitValue() : out);
    } catch (IOException e) {
      throw new FailedPreconditionException("runc update: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailedPreconditionException("runc update: interrupted");
    }
  }

  /** The host pids of the container's processes ({@code runc ps}). */
  List<String> pids(String id) {
    try {
      Process p = new ProcessBuilder(command(null, "ps", "--format", "json", id)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new FailedPreconditionException("runc ps " + id + ": " + out);
      List<String> pids = new ArrayList<>();
      io.strata.oci.Json.readTree(out.getBytes(StandardCharsets.UTF_8), "runc ps").forEach(n -> pids.add(n.asText()));
      return pids;
    } catch (IOException e) {
      throw new FailedPreconditionException("runc ps: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailedPreconditionException("runc ps: interrupted");
    }
  }

  /** Forgets a container, killing what is left of it; nothing to do when runc keeps no state for it. */
  void delete(String id) {
    if (Files.exists(stateRoot.resolve(id))) quiet("delete", "--force", id);
  }

  private List<String> command(Path log, String... args) {
    List<String> cmd = new ArrayList<>(List.of(binary, "--root", stateRoot.toString()));
    if (log != null) cmd.addAll(List.of("--log", log.toString(), "--log-format", "json"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private int quiet(String... args) {
    try {
      Process p = new ProcessBuilder(command(null, args)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void check(String op, String id) {
    try {
      Process p = new ProcessBuilder(command(null, op, id)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) throw new FailedPreconditionException("runc " + op + " " + id + ": " + out);
    } catch (IOException e) {
      throw new FailedPreconditionException("runc " + op + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailedPreconditionException("runc " + op + ": interrupted");
    }
  }

  /** The last error runc logged, or null. */
  private static String lastError(Path log) {
    try {
      if (!Files.exists(log)) return null;
      String last = null;
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.contains("\"level\":\"error\"")) {
          var node = io.strata.oci.Json.mapper().readTree(line);
          last = node.path("msg").asText();
        }
      }
      return last;
    } catch (IOException e) {
      return null;
    }
  }
}
