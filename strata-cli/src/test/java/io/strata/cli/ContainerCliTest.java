package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container commands in-process against a temporary store, with Docker's exit codes and output. */
class ContainerCliTest {
  @TempDir Path tmp;
  private final Map<String, String> env = new HashMap<>();

  record Result(int code, String out, String err) {}

  private Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Streams streams = new Streams(new ByteArrayInputStream(new byte[0]), out,
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false, env);
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

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "sleep", "echo", "cat", "rm", "dd", "true"));
    ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
  }

  @AfterEach
  void noMountsLeft() throws Exception {
    if (!HostRequirements.isRoot()) return;
    run("rm", "-f", "web", "c1", "big");
    List<String> left = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.contains(store().toString())).toList();
    assertEquals(List.of(), left);
  }

  @Test
  void runReturnsTheContainersStatusAndDockersCodesForFailures() {
    assertEquals(0, run("run", "--rm", "bb:1", "true").code());
    assertEquals("", ok("ps", "-a", "-q").out(), "--rm removed the container");
    assertEquals(5, run("run", "bb:1", "sh", "-c", "exit 5").code());
    Result missing = run("run", "bb:1", "nosuch");
    assertEquals(127, missing.code());
    assertEquals("Error: exec: \"nosuch\": executable file not found in $PATH\n", missing.err());
    assertEquals(126, run("run", "bb:1", "/etc/passwd").code());
    Result absent = run("run", "--pull", "never", "nosuch:image", "true");
    assertEquals(125, absent.code());
    assertEquals("Error: No such image: nosuch:image\n", absent.err());
    // missing locally: pulled from its registry first (here one that refuses the connection)
    Result unreachable = run("run", "127.0.0.1:9/nosuch:image", "true");
    assertEquals(125, unreachable.code());
    assertTrue(unreachable.err().startsWith("Unable to find image '127.0.0.1:9/nosuch:image' locally\n"), unreachable.err());
    String before = ok("ps", "-a", "-q").out();
    Result noNetwork = run("run", "--network", "nosuch", "bb:1", "true");
    assertEquals(125, noNetwork.code());
    assertEquals("Error: network nosuch not found\n", noNetwork.err());
    assertEquals(before, ok("ps", "-a", "-q").out(), "a refused run leaves no container");
    Result out = run("run", "-e", "A=1", "-w", "/tmp", "bb:1", "sh", "-c", "echo $A; pwd");
    assertEquals("1\n/tmp\n", out.out());
  }

  @Test
  void aDetachedContainerIsListedStoppedAndRemoved() {
    String id = ok("run", "-d", "--name", "web", "bb:1", "sleep", "30").out().strip();
    assertTrue(id.matches("[0-9a-f]{64}"), id);
    String ps = ok("ps").out();
    assertTrue(ps.startsWith("CONTAINER ID   IMAGE     COMMAND      CREATED"), ps);
    assertTrue(ps.contains(id.substring(0, 12)) && ps.contains("\"sleep 30\"") && ps.contains("Up ") && ps.contains("web"), ps);
    assertEquals(1, run("rmi", "bb:1").code(), "an image a container uses is not removed");
    assertEquals("web\n", ok("stop", "-t", "1", "web").out());
    assertTrue(ok("ps", "-a").out().contains("Exited (137)"), "sleep as pid 1 ignores SIGTERM: killed after 1s");
    assertEquals("", ok("ps", "-q").out());
    assertEquals("137\n", ok("wait", "web").out());
    assertEquals("exited", ok("container", "inspect", "-f", "{{.State.Status}}", "web").out().strip());
    assertEquals("web\n", ok("rm", "web").out());
    Result gone = run("rm", "web");
    assertEquals(1, gone.code());
    assertEquals("Error: No such container: web\n", gone.err());
    ok("rmi", "bb:1");
    assertEquals(List.of("ingest"), snapshotDirs("overlay"), "unpacked layers go with the last image using them");
  }

  private List<String> snapshotDirs(String driver) {
    try (Stream<Path> s = Files.list(store().resolve("snapshots").resolve(driver))) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void diffAndCommitOnTheNativeDriver() {
    ok("--storage-driver", "native", "run", "--name", "c1", "bb:1", "sh", "-c", "echo hi > /tmp/new; rm /etc/passwd");
    assertEquals("C /etc\nD /etc/passwd\nC /tmp\nA /tmp/new\n", ok("diff", "c1").out(), "the container keeps its driver");
    ok("commit", "-m", "native commit", "c1", "bb:native");
    assertEquals("hi\n", ok("run", "--rm", "bb:native", "cat", "/tmp/new").out());
    assertEquals(1, run("run", "--rm", "bb:native", "cat", "/etc/passwd").code());
  }

  @Test
  void aMissingRuntimeOrAnUnknownDriverIsAClearError() {
    env.put("STRATA_RUNTIME", "/nonexistent/runc");
    Result r = run("run", "bb:1", "true");
    assertEquals(125, r.code());
    assertTrue(r.err().contains("OCI runtime runc not found (looked for /nonexistent/runc)"), r.err());
    env.clear();
    Result d = run("--storage-driver", "zfs", "run", "bb:1", "true");
    assertEquals(125, d.code());
    assertTrue(d.err().contains("unknown storage driver zfs (overlay, native)"), d.err());
    assertEquals("", ok("ps", "-a", "-q").out(), "nothing was created");
  }

  @Test
  void killingStrataDuringACommitLeavesNoHalfImage() throws Exception {
    ok("run", "--name", "big", "bb:1", "dd", "if=/dev/urandom", "of=/big", "bs=1M", "count=64");
    String images = ok("images", "-q").out();
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--root", store().toString(), "commit", "big", "killed:1");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Path blobs = store().resolve("ingest");
    for (int i = 0; i < 400 && p.isAlive() && isEmpty(blobs); i++) Thread.sleep(10); // until the layer is being written
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    assertEquals(images, ok("images", "-q").out(), "no image was recorded");
    Result fsck = ok("system", "fsck");
    assertTrue(fsck.err().isEmpty(), fsck.err());
  }

  @Test
  void aKilledBuildIsCleanedUpByTheNextOne() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM bb:1\nRUN --mount=type=cache,target=/c --mount=type=tmpfs,target=/t sleep 60\n");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--root", store().toString(), "build", "-t", "killed:1", ctx.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    for (int i = 0; i < 1000 && p.isAlive() && mountsUnder(store()).size() < 2; i++) Thread.sleep(10); // the step's root and cache are mounted
    assertTrue(mountsUnder(store()).size() >= 2, "the build got to its RUN step");
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
    Files.writeString(ctx.resolve("Dockerfile"), "FROM bb:1\nRUN true\n");
    ok("build", "-q", "-t", "next:1", ctx.toString());
    assertEquals(List.of(), mountsUnder(store()), "the killed build's mounts are gone");
    try (Stream<Path> left = Files.list(store().resolve("builds"))) {
      assertEquals(List.of(), left.toList(), "and its step directories");
    }
    assertTrue(run("image", "inspect", "killed:1").code() != 0, "nothing half-built was tagged");
    Result fsck = ok("system", "fsck");
    assertTrue(fsck.err().isEmpty(), fsck.err());
  }

  private static List<String> mountsUnder(Path dir) throws java.io.IOException {
    String prefix = dir.toAbsolutePath() + "/";
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(prefix)).toList();
  }

  private static boolean isEmpty(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) return true;
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
