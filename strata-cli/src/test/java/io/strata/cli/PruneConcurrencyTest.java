package io.strata.cli;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, part 3: a prune decides in one short transaction and deletes after it. A prune of an
 * image of 40,000 files is frozen (SIGSTOP) while it deletes them; meanwhile {@code tag},
 * {@code run --rm} and a cached {@code build} each finish in under 2 s (they waited for the whole
 * deletion before). Then the frozen prune is killed (SIGKILL): fsck is clean, and a second prune
 * deletes the rest.
 */
class PruneConcurrencyTest {
  private static final int FILES = 40_000;
  private static final int SAMPLES = 100;

  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  private Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Streams streams = new Streams(new ByteArrayInputStream(new byte[0]), out,
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false, Map.of());
    String[] argv = Stream.concat(Stream.of("--root", store().toString()), Arrays.stream(args)).toArray(String[]::new);
    int code = Cli.run(streams, argv);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + " failed: " + r.err());
    return r;
  }

  private Path store() {
    return tmp.resolve("store");
  }

  @Test
  void commandsDoNotWaitForAPrunesDeletionAndAKilledPruneIsFinishedByTheNext() throws Exception {
    HostRequirements.containers();
    List<TarEntrySpec> entries = new ArrayList<>(List.of(dir("bin", 0755), dir("tmp", 01777),
        file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755)));
    entries.add(symlink("busybox", "bin/sh"));
    Path tar = Files.write(tmp.resolve("bb.tar"), TarFixture.of(entries).bytes());
    ok("import", tar.toString(), "bb:1");
    ok("create", "--name", "keeps-base", "bb:1", "sh"); // prune -a keeps the images containers use
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM bb:1\nRUN echo built > /built\n");
    ok("build", "-q", "-t", "built:1", ctx.toString());
    ok("create", "--name", "keeps-built", "built:1", "sh");

    // the image to prune: FILES files in one layer, unpacked once (so its snapshot goes too)
    ok("run", "--name", "maker", "bb:1", "sh", "-c",
        "mkdir /d && cd /d && busybox seq 1 " + FILES + " | busybox xargs busybox touch");
    ok("commit", "maker", "big:1");
    ok("rm", "maker");
    ok("run", "--rm", "big:1", "sh", "-c", ":");
    String snapshot = unpackedDir();

    Process prune = new ProcessBuilder(strata("image", "prune", "-a", "-f")).redirectErrorStream(true).start();
    int left = SAMPLES;
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); prune.isAlive() && System.nanoTime() < deadline; ) {
      left = samplesLeft(snapshot);
      if (left < SAMPLES) break; // deleting
      Thread.sleep(1);
    }
    signal(prune, "STOP");
    assertTrue(prune.isAlive(), "the prune was caught while deleting (it had finished)");
    left = samplesLeft(snapshot);
    assertTrue(left > 0 && left < SAMPLES, "frozen in the middle of its deletion: " + left + " of " + SAMPLES + " samples left");

    timed("tag", () -> ok("tag", "bb:1", "other:1"));
    timed("run --rm", () -> ok("run", "--rm", "bb:1", "sh", "-c", "echo hi"));
    timed("cached build", () -> ok("build", "-q", "-t", "built:2", ctx.toString()));
    assertEquals(left, samplesLeft(snapshot), "the prune stayed frozen meanwhile");

    prune.destroyForcibly(); // SIGKILL in the middle of its deletion
    assertTrue(prune.waitFor(10, TimeUnit.SECONDS));
    Result fsck = ok("system", "fsck");
    assertTrue(fsck.out().contains(": ok"), fsck.out());
    assertTrue(run("image", "inspect", "big:1").code() != 0, "the image itself was removed before the kill");

    ok("image", "prune", "-a", "-f");
    assertEquals(0, samplesLeft(snapshot), "the second prune deleted the rest");
    try (Stream<Path> trash = Files.list(store().resolve("trash"))) {
      assertEquals(List.of(), trash.toList(), "the trash is empty");
    }
    assertTrue(ok("system", "fsck").out().contains(": ok"));
    ok("image", "inspect", "built:1");
  }

  private static void timed(String what, Runnable command) {
    long t0 = System.nanoTime();
    command.run();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 2000, what + " took " + ms + " ms while a prune was deleting");
  }

  private List<String> strata(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--root", store().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void signal(Process p, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertEquals(0, kill.waitFor());
  }

  /** The name of the snapshot directory that holds the big layer's {@code /d}. */
  private String unpackedDir() throws IOException {
    try (Stream<Path> dirs = Files.list(store().resolve("snapshots/overlay"))) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("fs/d/1"))).findFirst().orElseThrow().getFileName().toString();
    }
  }

  /**
   * How many of SAMPLES files spread over the big layer still exist, wherever its directory is now:
   * in place, or moved into the trash to be deleted.
   */
  private int samplesLeft(String snapshot) throws IOException {
    Path d = store().resolve("snapshots/overlay").resolve(snapshot).resolve("fs/d");
    if (!Files.isDirectory(d)) {
      try (Stream<Path> trash = Files.list(store().resolve("trash"))) {
        d = trash.map(t -> t.resolve("fs/d")).filter(Files::isDirectory).findFirst().orElse(null);
      }
    }
    if (d == null) return 0;
    int left = 0;
    for (int i = 1; i <= SAMPLES; i++) {
      if (Files.exists(d.resolve(Integer.toString(i * (FILES / SAMPLES))))) left++;
    }
    return left;
  }
}
