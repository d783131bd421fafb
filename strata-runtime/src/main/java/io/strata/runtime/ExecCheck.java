package io.strata.runtime;

import io.strata.layer.InRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the container's executable in its root before runc runs it, so that a missing command is
 * Docker's exit 127 and a non-executable one 126, with Docker's messages, rather than a runtime error.
 */
final class ExecCheck {
  private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ExecCheck() {}

  /**
   * Checks {@code args[0]} as the process will look it up: a path with a slash as is, relative to
   * the working directory {@code cwd} when not absolute (as runc and Docker run {@code ./app.sh}),
   * a bare name through {@code $PATH}.
   */
  static void check(Path rootfs, List<String> args, List<String> env, String cwd) {
    if (args.isEmpty()) throw new ExecFailure(ExecFailure.RUNTIME, "no command specified");
    String cmd = args.getFirst();
    try {
      if (cmd.contains("/")) {
        Path p = InRoot.resolve(rootfs, cmd.startsWith("/") ? cmd : cwd + "/" + cmd);
        if (!Files.exists(p)) {
          throw new ExecFailure(ExecFailure.NOT_FOUND, "exec: \"" + cmd + "\": stat " + cmd + ": no such file or directory");
        }
        requireExecutable(p, cmd);
        return;
      }
      for (String dir : path(env).split(":")) {
        if (dir.isEmpty()) continue;
        Path p = InRoot.resolve(rootfs, (dir.startsWith("/") ? dir : cwd + "/" + dir) + "/" + cmd);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) return;
      }
      throw new ExecFailure(ExecFailure.NOT_FOUND, "exec: \"" + cmd + "\": executable file not found in $PATH");
    } catch (IOException e) {
      throw new ExecFailure(ExecFailure.NOT_FOUND, "exec: \"" + cmd + "\": " + e.getMessage());
    }
  }

  private static void requireExecutable(Path p, String cmd) {
    if (Files.isDirectory(p) || !Files.isExecutable(p)) {
      throw new ExecFailure(ExecFailure.CANNOT_INVOKE, "exec: \"" + cmd + "\": permission denied");
    }
  }

  private static String path(List<String> env) {
    for (String e : env) {
      if (e.startsWith("PATH=")) return e.substring(5);
    }
    return DEFAULT_PATH;
  }

  /** The working directory must exist in the container, as runc's chdir needs (resolved inside the root). */
  static void checkDirectory(Path rootfs, String cwd) {
    try (io.strata.sys.DirFd root = io.strata.sys.DirFd.open(rootfs); io.strata.sys.DirFd dir = root.inRoot(cwd)) {
      // it exists and is a directory
    } catch (io.strata.sys.ErrnoException e) {
      String why = e.errno() == io.strata.sys.ErrnoException.ENOTDIR ? "not a directory" : "no such file or directory";
      throw new ExecFailure(ExecFailure.RUNTIME, "chdir to cwd (\"" + cwd + "\") set in config.json failed: " + why);
    }
  }
}
