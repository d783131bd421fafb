package io.strata.runtime;

import io.strata.image.ImageService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The detached monitor of one container start ({@code start}, {@code run -d}): a JVM of its own in
 * a new session (setsid), so it outlives the command that spawned it and keeps the container's
 * output and exit status. Its own failures go to {@code monitor.log} in the container's directory.
 */
public final class MonitorMain {
  private MonitorMain() {}

  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    try (ImageService images = ImageService.open(root)) {
      Containers.open(images, args[1], args.length > 3 ? args[3] : null).runDetached(args[2]);
    } catch (ExecFailure e) {
      System.err.println("strata monitor: " + e.getMessage()); // also recorded as the container's error
      System.exit(e.exitCode());
    }
  }

  /**
   * The JVM options the launcher gave this process (its AOT cache, collector, sqlite library;
   * {@code STRATA_LAUNCHER_JVM}, one per line), so the monitor starts from the same cache as the
   * command did. Empty when no launcher started it (tests, other embedders).
   */
  private static List<String> launcherOptions() {
    String options = System.getenv("STRATA_LAUNCHER_JVM");
    return options == null || options.isBlank() ? List.of() : options.lines().filter(l -> !l.isBlank()).toList();
  }

  static void spawn(Path root, String driver, String id, String runtime) {
    ProcessHandle.Info self = ProcessHandle.current().info();
    String java = self.command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of("setsid", java));
    List<String> launched = launcherOptions();
    cmd.addAll(launched.isEmpty() ? List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED") : launched);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MonitorMain.class.getName(), root.toString(), driver, id));
    if (runtime != null) cmd.add(runtime);
    try {
      new ProcessBuilder(cmd)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(Container.dir(root, id).resolve("monitor.log").toFile()))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("start the container monitor", e);
    }
  }
}
