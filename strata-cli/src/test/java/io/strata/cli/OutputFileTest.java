package io.strata.cli;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o} never replaces what is not a regular file: a device or FIFO is written in place, a
 * symlink stays a link and its target gets the archive, a directory is refused (issue 13, part 1).
 */
class OutputFileTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  private Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Streams streams = new Streams(new ByteArrayInputStream(new byte[0]), out,
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false, Map.of());
    String[] argv = Stream.concat(Stream.of("--root", tmp.resolve("store").toString()), Arrays.stream(args))
        .toArray(String[]::new);
    int code = Cli.run(streams, argv);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + " failed: " + r.err());
  }

  @BeforeEach
  void image() throws IOException {
    Path tar = tmp.resolve("rootfs.tar");
    Files.write(tar, TarFixture.of(dir("bin", 0755), file("bin/hello", "hello", 0755)).bytes());
    ok("import", tar.toString(), "out:1");
  }

  /** Every command that takes {@code -o}, as argv with the output path last. */
  private static List<String[]> commands(Path output) {
    return List.of(
        new String[] {"save", "out:1", "-o", output.toString()},
        new String[] {"image", "export", "out:1", "-o", output.toString()});
  }

  @Test
  void aDeviceNodeIsWrittenThroughAndStaysADevice() throws Exception {
    HostRequirements.root();
    Path dev = tmp.resolve("null");
    exec("mknod", "-m", "0666", dev.toString(), "c", "1", "3");
    for (String[] cmd : commands(dev)) {
      ok(cmd);
      assertEquals("character special file", fileType(dev), String.join(" ", cmd));
    }
  }

  @Test
  void aFifoIsStreamedToItsReaderAndStaysAFifo() throws Exception {
    Path fifo = tmp.resolve("pipe");
    exec("mkfifo", fifo.toString());
    for (String[] cmd : commands(fifo)) {
      CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> readAll(fifo));
      ok(cmd);
      byte[] got = reader.get(60, TimeUnit.SECONDS);
      assertTrue(tarNames(got).size() > 0, "the reader got a valid, non-empty tar: " + String.join(" ", cmd));
      assertEquals("fifo", fileType(fifo));
    }
  }

  @Test
  void aDirectoryIsRefusedWithOneLine() throws IOException {
    Path d = Files.createDirectory(tmp.resolve("dir"));
    for (String[] cmd : commands(d)) {
      Result r = run(cmd);
      assertEquals(1, r.code());
      assertEquals("Error: invalid output path: \"" + d + "\" is a directory\n", r.err());
      try (Stream<Path> s = Files.list(d)) {
        assertEquals(0, s.count(), "nothing written into the directory");
      }
    }
  }

  @Test
  void aSymlinkStaysALinkAndItsTargetGetsTheArchiveKeepingItsMode() throws IOException {
    Path target = tmp.resolve("real.tar");
    Files.writeString(target, "old");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
    Path link = Files.createSymbolicLink(tmp.resolve("link.tar"), Path.of("real.tar"));
    for (String[] cmd : commands(link)) {
      ok(cmd);
      assertTrue(Files.isSymbolicLink(link), "the link stays a link");
      assertEquals(Path.of("real.tar"), Files.readSymbolicLink(link));
      assertTrue(tarNames(Files.readAllBytes(target)).size() > 0, "the target holds the archive");
      assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temp file left");
    }
  }

  @Test
  void aDanglingSymlinkCreatesItsTarget() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("link.tar"), Path.of("new.tar"));
    ok("save", "out:1", "-o", link.toString());
    assertTrue(Files.isSymbolicLink(link));
    assertTrue(tarNames(Files.readAllBytes(tmp.resolve("new.tar"))).contains("manifest.json"));
  }

  @Test
  void aSymlinkToADeviceWritesThroughToTheDevice() throws Exception {
    HostRequirements.root();
    Path dev = tmp.resolve("null");
    exec("mknod", "-m", "0666", dev.toString(), "c", "1", "3");
    Path link = Files.createSymbolicLink(tmp.resolve("to-null"), dev);
    for (String[] cmd : commands(link)) {
      ok(cmd);
      assertTrue(Files.isSymbolicLink(link));
      assertEquals("character special file", fileType(dev));
    }
  }

  @Test
  void aRegularFileIsReplacedWholeAndKeepsItsMode() throws IOException {
    Path out = tmp.resolve("out.tar");
    Files.writeString(out, "x".repeat(100_000));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-rw-r--"));
    ok("save", "out:1", "-o", out.toString());
    assertTrue(tarNames(Files.readAllBytes(out)).contains("manifest.json"));
    assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
  }

  @Test
  void aFailedSaveLeavesTheExistingFileAsItWas() throws IOException {
    Path out = tmp.resolve("out.tar");
    Files.writeString(out, "keep");
    Result r = run("save", "missing:1", "-o", out.toString());
    assertEquals(1, r.code());
    assertArrayEquals("keep".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(out));
  }

  private static String fileType(Path p) throws IOException, InterruptedException {
    assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    return exec("stat", "-c", "%F", p.toString()).strip();
  }

  private static String exec(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    return out;
  }

  private static byte[] readAll(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> tarNames(byte[] tar) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) names.add(e.getName());
    }
    return names;
  }
}
