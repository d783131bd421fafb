package io.strata.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The real tools the interop tests run (skopeo, umoci, docker), as subprocesses with time limits. */
final class ExternalTools {
  private ExternalTools() {}

  static boolean inCi() {
    return "true".equals(System.getenv("CI"));
  }

  /** Skips the test when {@code tool} is missing, except in CI, where a missing tool fails it. */
  static void require(String tool) {
    boolean present = onPath(tool);
    if (inCi()) assertTrue(present, tool + " must be installed in CI (.ci/run installs it)");
    Assumptions.assumeTrue(present, tool + " is not installed: interop test skipped outside CI");
  }

  /** Skips outside CI when not root (umoci unpack, dockerd); fails in CI. */
  static void requireRoot() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (inCi()) assertTrue(root, "interop tests run as root in CI");
    Assumptions.assumeTrue(root, "needs root: interop test skipped outside CI");
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) return true;
    }
    return false;
  }

  /** Runs {@code cmd}; returns its stdout; fails the test with its stderr when it exits non-zero. */
  static String run(List<String> cmd) {
    Result r = exec(cmd);
    if (r.code() != 0) fail(String.join(" ", cmd) + " exited " + r.code() + ": " + r.err());
    return r.out();
  }

  record Result(int code, String out, String err) {}

  static Result exec(List<String> cmd) {
    try {
      Path errFile = Files.createTempFile("strata-it", ".err");
      try {
        Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail(String.join(" ", cmd) + ": timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
            Files.readString(errFile, StandardCharsets.UTF_8).strip());
      } finally {
        Files.deleteIfExists(errFile);
      }
    } catch (IOException e) {
      throw new AssertionError("run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    }
  }

  static void assertRuns(List<String> cmd) {
    Result r = exec(cmd);
    assertEquals(0, r.code(), () -> String.join(" ", cmd) + ": " + r.err());
  }
}
