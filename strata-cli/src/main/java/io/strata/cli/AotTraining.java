package io.strata.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run for the JDK's AOT cache ({@code java -XX:AOTCacheOutput=… io.strata.cli.AotTraining}):
 * runs the common short commands in-process against an empty temporary store so that the classes
 * they load (picocli, the command tree, the store and its database) are in the cache. Output is
 * discarded; the launcher runs this once after each build.
 */
public final class AotTraining {
  private static final List<List<String>> COMMANDS = List.of(
      List.of("--help"),
      List.of("images", "--help"),
      List.of("images"),
      List.of("images", "-a", "--digests", "--no-trunc"),
      List.of("images", "-q"),
      List.of("images", "--format", "json"),
      List.of("images", "-f", "dangling=true"),
      List.of("image", "ls", "-f", "reference=busybox"),
      List.of("history", "no-such-image"),
      List.of("inspect", "no-such-image"),
      List.of("rmi", "no-such-image"),
      List.of("tag", "no-such-image", "other"),
      List.of("system", "df"),
      List.of("version"),
      List.of("images", "--no-such-flag"),
      List.of("no-such-command"));

  private AotTraining() {}

  /** With an image in the store: the paths of a real image and, where this host can run them, of containers. */
  private static final List<List<String>> WITH_IMAGE = List.of(
      List.of("images"),
      List.of("inspect", "training:1"),
      List.of("history", "training:1"),
      List.of("ps", "-a"),
      List.of("run", "--rm", "training:1", "true"),
      List.of("run", "--name", "t1", "training:1", "sh", "-c", "echo hi > /x"),
      List.of("diff", "t1"),
      List.of("ps", "-a"),
      List.of("rm", "t1"),
      List.of("system", "df"));

  public static void main(String[] args) throws IOException {
    Path root = Files.createTempDirectory("strata-aot-training");
    try {
      for (List<String> command : COMMANDS) run(root, command);
      Path tar = trainingImage(root);
      run(root, List.of("import", "-c", "CMD [\"sh\"]", tar.toString(), "training:1"));
      for (List<String> command : WITH_IMAGE) run(root, command);
      Path ctx = Files.createDirectories(root.resolve("training-ctx/sub"));
      Files.writeString(ctx.resolveSibling("Dockerfile"), "FROM training:1\nARG A=1\nENV B=$A\nCOPY . /ctx\nRUN true\nCMD [\"sh\"]\n");
      Files.writeString(ctx.resolve("f"), "x");
      for (int i = 0; i < 2; i++) run(root, List.of("build", "-q", "-t", "training:2", ctx.getParent().toString())); // cold, cached
      try (TrainingRegistry registry = new TrainingRegistry()) { // push and pull, first and again, on loopback
        String ref = registry.host() + "/training:1";
        run(root, List.of("tag", "training:1", ref));
        for (int i = 0; i < 2; i++) run(root, List.of("push", ref));
        Path other = root.resolve("pulled");
        for (int i = 0; i < 2; i++) run(other, List.of("pull", ref));
        run(other, List.of("images", "--digests"));
      }
    } finally {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(Path root, List<String> command) {
    String[] argv = Stream.concat(Stream.of("--root", root.toString()), command.stream()).toArray(String[]::new);
    Cli.run(discarding(), argv);
  }

  /** A root with the host's static busybox when there is one (else the run commands just fail), as a tar. */
  private static Path trainingImage(Path root) throws IOException {
    Path rootfs = Files.createDirectories(root.resolve("training-rootfs/bin"));
    Path busybox = Path.of("/bin/busybox");
    if (Files.isExecutable(busybox)) {
      Files.copy(busybox, rootfs.resolve("busybox"));
      for (String applet : List.of("sh", "true")) Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
    }
    Path tar = root.resolve("training.tar");
    try (OutputStream out = Files.newOutputStream(tar)) {
      new io.strata.layer.TarWriter().writeTree(rootfs.getParent(), out, io.strata.layer.WriteOptions.defaults());
    }
    return tar;
  }

  private static Streams discarding() {
    return new Streams(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream(),
        new PrintStream(OutputStream.nullOutputStream()), false, false, Map.of());
  }
}
