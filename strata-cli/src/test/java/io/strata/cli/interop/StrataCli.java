package io.strata.cli.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.cli.Cli;
import io.strata.cli.Streams;
import io.strata.layer.ApplyOptions;
import io.strata.layer.LayerApplier;
import io.strata.oci.Json;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** strata's CLI in-process against one store, for the interop tests. */
final class StrataCli {
  private final Path root;
  private final Map<String, String> env;

  StrataCli(Path root) {
    this(root, Map.of());
  }

  /** A CLI whose commands see {@code env} as their environment (DOCKER_CONFIG, STRATA_CONFIG, ...). */
  StrataCli(Path root, Map<String, String> env) {
    this.root = root;
    this.env = Map.copyOf(env);
  }

  record Result(int code, String out, String err) {}

  Result exec(String... args) {
    return execWithInput("", args);
  }

  /** Runs with {@code stdin} as standard input (login --password-stdin). */
  Result execWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Streams streams = new Streams(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false, env);
    String[] argv = Stream.concat(Stream.of("--root", root.toString()), Stream.of(args)).toArray(String[]::new);
    int code = Cli.run(streams, argv);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  String ok(String... args) {
    Result r = exec(args);
    assertEquals(0, r.code(), () -> "strata " + String.join(" ", args) + ": " + r.err());
    return r.out();
  }

  /** {@code strata inspect IMAGE}, the first (only) element. */
  JsonNode inspect(String image) {
    return Json.read(ok("inspect", image).getBytes(StandardCharsets.UTF_8), JsonNode.class, "inspect").get(0);
  }

  static List<String> layers(JsonNode inspect) {
    List<String> out = new ArrayList<>();
    inspect.path("RootFS").path("Layers").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** strata's own flattened root: {@code image export}, applied with strata's layer applier. */
  Path flatten(String image, Path work) throws IOException {
    Path tar = work.resolve("flat.tar");
    ok("image", "export", "-o", tar.toString(), image);
    Path dir = Files.createDirectories(work.resolve("flat"));
    try (InputStream in = Files.newInputStream(tar)) {
      new LayerApplier().apply(in, dir, ApplyOptions.defaults());
    }
    return dir;
  }

  /**
   * A root filesystem made from the machine's static busybox, with the shapes interop must keep:
   * symlinks, a hardlink, a sticky world-writable directory, a setuid-free file owned by 1000:1000.
   */
  static byte[] busyboxRootfs() throws IOException {
    byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
    return TarFixture.of(
        TarFixture.dir("bin", 0755),
        TarFixture.file("bin/busybox", busybox, 0755),
        TarFixture.symlink("busybox", "bin/sh"),
        TarFixture.symlink("/bin/busybox", "bin/ls"),
        TarFixture.hardlink("bin/busybox", "bin/busybox.hard").withMode(0755), // a link header carries its inode's mode
        TarFixture.dir("etc", 0755),
        TarFixture.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n", 0644),
        TarFixture.dir("home", 0755),
        TarFixture.dir("home/user", 0750).withUid(1000).withGid(1000),
        TarFixture.file("home/user/notes.txt", "hello from strata\n", 0640).withUid(1000).withGid(1000),
        TarFixture.dir("tmp", 01777)).bytes();
  }
}
