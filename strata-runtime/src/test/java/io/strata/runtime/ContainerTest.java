package io.strata.runtime;

import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.image.Image;
import io.strata.image.ImageService;
import io.strata.oci.ChainIds;
import io.strata.oci.Digest;
import io.strata.snapshot.Change;
import io.strata.snapshot.Mounter;
import io.strata.testkit.HostRequirements;
import io.strata.store.LayerRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerTest {
  private static final Containers.LogOptions ALL = new Containers.LogOptions(false, -1, null, null);
  @TempDir Path tmp;
  private ImageService images;
  private Containers containers;
  private Image base;

  @BeforeEach
  void setUp() {
    HostRequirements.containers();
    images = ImageService.open(tmp.resolve("store"));
    containers = Containers.open(images, "overlay");
    base = Fixtures.busybox(images, "bb:1", List.of(), List.of());
  }

  @AfterEach
  void tearDown() {
    if (containers == null) return;
    for (Container c : containers.list()) containers.remove(c.id(), true);
    assertEquals(List.of(), Mounter.mountedUnder(tmp), "no mount is left behind");
    images.close();
  }

  private Containers on(String driver) {
    return driver.equals("overlay") ? containers : Containers.open(images, driver);
  }

  @Test
  void runStreamsOutputKeepsTheLogAndReturnsTheExitStatus() {
    Fixtures.Result r = Fixtures.run(containers, Fixtures.request("bb:1", "sh", "-c", "echo out; echo err >&2; exit 3"));
    assertEquals(new Fixtures.Result(3, "out\n", "err\n"), r);
    Container c = containers.list().getFirst();
    assertEquals(ContainerState.EXITED, c.state());
    assertEquals(3, c.exitCode());
    List<String> log = new ArrayList<>();
    containers.logs(c.id(), ALL, (stream, text, time) -> log.add(stream + ":" + text));
    log.sort(null); // two pipes: the order between stdout and stderr is not fixed
    assertEquals(List.of("stderr:err\n", "stdout:out\n"), log);
  }

  @Test
  void aMissingCommandIs127AndAFileThatCannotRunIs126() {
    ExecFailure missing = assertThrows(ExecFailure.class, () -> Fixtures.run(containers, Fixtures.request("bb:1", "nosuch")));
    assertEquals(127, missing.exitCode());
    assertEquals("exec: \"nosuch\": executable file not found in $PATH", missing.getMessage());
    ExecFailure notExec = assertThrows(ExecFailure.class, () -> Fixtures.run(containers, Fixtures.request("bb:1", "/etc/motd")));
    assertEquals(126, notExec.exitCode());
    for (Container c : containers.list()) assertEquals(ContainerState.EXITED, c.state());
  }

  @Test
  void detachedContainerStopsOnItsSignalAndIsKilledAfterTheGracePeriod() {
    Container polite = containers.create(Fixtures.request("bb:1", "sh", "-c",
        "trap 'echo bye; exit 7' TERM; echo up; while true; do sleep 0.1; done"));
    Container started = containers.start(polite.id());
    assertEquals(ContainerState.RUNNING, started.state());
    assertTrue(started.pid() > 0 && ProcessHandle.of(started.pid()).isPresent());
    assertEquals(7, containers.stop(polite.id(), Duration.ofSeconds(10)).exitCode());
    Container stubborn = containers.create(Fixtures.request("bb:1", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done"));
    containers.start(stubborn.id());
    assertEquals(137, containers.stop(stubborn.id(), Duration.ofSeconds(1)).exitCode(), "SIGKILL after the grace period");
    List<String> log = new ArrayList<>();
    containers.logs(polite.id(), ALL, (s, t, time) -> log.add(t));
    assertEquals(List.of("up\n", "bye\n"), log);
    assertEquals(137, containers.await(stubborn.id()));
  }

  @Test
  void removeRefusesARunningContainerUnlessForced() {
    Container c = containers.create(Fixtures.request("bb:1", "sleep", "60"));
    containers.start(c.id());
    assertTrue(Mounter.isMounted(containers.dir(c.id()).resolve("rootfs")));
    assertThrows(io.strata.errdefs.FailedPreconditionException.class, () -> containers.remove(c.id(), false));
    containers.remove(c.id(), true);
    assertTrue(containers.list().isEmpty());
    assertFalse(Files.exists(containers.dir(c.id())));
    assertTrue(containers.snapshotter().get(c.id()).isEmpty(), "the writable layer is gone");
  }

  @Test
  void aCrashedMonitorIsReconciledOnTheNextOpen() throws Exception {
    Container c = containers.start(containers.create(Fixtures.request("bb:1", "sleep", "60")).id());
    ProcessHandle monitor = ProcessHandle.of(c.monitorPid()).orElseThrow();
    long pid = c.pid();
    monitor.destroyForcibly();
    monitor.onExit().get();
    Containers reopened = Containers.open(images, "overlay");
    Container after = reopened.get(c.id());
    assertEquals(ContainerState.EXITED, after.state());
    assertEquals(255, after.exitCode());
    assertFalse(Mounter.isMounted(containers.dir(c.id()).resolve("rootfs")), "its mount is removed");
    for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(20);
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "its process is killed");
  }

  @Test
  void execRunsInTheRunningContainerAsTheGivenUser() {
    Container c = containers.start(containers.create(Fixtures.request("bb:1", "sleep", "60")).id());
    assertEquals(0, exec(c, "app", "touch", "/tmp/from-exec").exitCode());
    assertTrue(containers.diff(c.id()).contains(new Change(Change.Kind.ADDED, "/tmp/from-exec")));
    assertEquals(1, exec(c, "app", "sh", "-c", "[ $(id -u) = 1000 ] && exit 1").exitCode());
  }

  /** Issue 13, part 2b: exec -u gets exactly that user's groups and home, never those of PID 1 (root's group 0). */
  @Test
  void execAsAUserGetsThatUsersGroupsAndHomeNotPid1s() {
    Fixtures.busybox(images, "bb:groups", List.of(), List.of(
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
            + "app:x:1000:1000::/home/app:/bin/sh\n", 0644),
        file("etc/group", "root:x:0:\naudio:x:29:app\nstaff:x:50:app,root\nnogroup:x:65534:\napp:x:1000:\n", 0644)));
    Container c = containers.start(containers.create(Fixtures.request("bb:groups", "sleep", "60")).id());
    String probe = "echo $(id -u) $(id -g) $(id -G) $HOME";
    assertEquals("65534 65534 65534 /nonexistent\n", exec(c, "nobody", "sh", "-c", probe).out());
    assertEquals("1000 1000 1000 29 50 /home/app\n", exec(c, "app", "sh", "-c", probe).out());
    assertEquals("1000 29 29 /home/app\n", exec(c, "app:audio", "sh", "-c", probe).out());
    assertEquals("4242 0 0 /\n", exec(c, "4242", "sh", "-c", probe).out(), "a uid without a passwd entry");
    assertEquals("0 0 0 50 /root\n", exec(c, null, "sh", "-c", probe).out(), "PID 1's user");
  }

  private Fixtures.Result exec(Container c, String user, String... cmd) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = containers.exec(c.id(), List.of(cmd), new Containers.ExecOptions(false, user, null, List.of()),
        new Attach(null, out, err, false));
    return new Fixtures.Result(code, out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlay", "native"})
  void aWriteCopiesUpLeavingTheImageAndOtherContainersAlone(String driver) throws IOException {
    Containers cs = on(driver);
    Path lowerMotd = unpackedBottom(cs).resolve("etc/motd");
    Container first = cs.create(Fixtures.request("bb:1", "sh", "-c", "echo changed > /etc/motd; cat /etc/motd"));
    assertEquals("changed\n", Fixtures.attach(cs, first).out());
    assertEquals("lower layer file\n", Files.readString(lowerMotd), "the unpacked layer is never written");
    assertEquals("lower layer file\n", Fixtures.run(cs, Fixtures.request("bb:1", "cat", "/etc/motd")).out());
    assertEquals(List.of(new Change(Change.Kind.CHANGED, "/etc"), new Change(Change.Kind.CHANGED, "/etc/motd")),
        cs.diff(first.id()));
  }

  private Path unpackedBottom(Containers cs) {
    Digest chain = ChainIds.chainIds(base.layers().stream().map(LayerRecord::diffId).toList()).getFirst();
    cs.create(Fixtures.request("bb:1", "true")); // unpacks
    return cs.snapshotter().get(chain.toString()).orElseThrow().fs();
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlay", "native"})
  void aDeletionCommitsAsAWhiteoutThatHidesTheFileButNotItsBytes(String driver) throws IOException {
    Containers cs = on(driver);
    Fixtures.run(cs, Fixtures.request("bb:1", "sh", "-c", "rm /etc/motd; mkdir /data; echo x > /data/new"));
    Container c = cs.list().getFirst();
    List<String> diff = cs.diff(c.id()).stream().map(Change::toString).toList();
    assertEquals(List.of("A /data", "A /data/new", "C /etc", "D /etc/motd"), diff);
    Digest id = cs.commit(c.id(), new Containers.CommitOptions("rm motd", "tester", List.of("CMD [\"cat\", \"/etc/motd\"]"),
        true, "bb:committed"));
    Image committed = images.resolve("bb:committed");
    assertEquals(id, committed.id());
    assertEquals(base.layers().size() + 1, committed.layers().size());
    assertTrue(committed.size() >= base.size(), "deleting in a later layer does not shrink the image");
    assertTrue(tarNames(committed.layers().getLast()).contains("etc/.wh.motd"));
    Fixtures.Result r = Fixtures.run(cs, new CreateRequest("bb:committed", null, null, List.of(), List.of(), null, null,
        null, false, false, false, null, List.of(), false));
    assertEquals(1, r.exitCode(), "the committed CMD runs and the file is gone: " + r);
    assertEquals("x\n", Fixtures.run(cs, Fixtures.request("bb:committed", "cat", "/data/new")).out());
    assertEquals("rm motd", images.history("bb:committed").getFirst().comment());
  }

  private List<String> tarNames(LayerRecord layer) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = images.store().content().open(layer.blobDigest());
         TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) names.add(e.getName());
    }
    return names;
  }

  @Test
  void tenContainersOfOneImageAddLessThanAMegabyte() throws Exception {
    containers.create(Fixtures.request("bb:1", "true")); // the image unpacked once
    long before = du(tmp.resolve("store"));
    for (int i = 0; i < 10; i++) containers.create(Fixtures.request("bb:1", "true"));
    long added = du(tmp.resolve("store")) - before;
    assertTrue(added < 1024 * 1024, "10 containers added " + added + " bytes");
  }

  static long du(Path dir) throws Exception {
    Process p = new ProcessBuilder("du", "-sk", dir.toString()).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return Long.parseLong(out.split("\\s+")[0]) * 1024;
  }

  @Test
  void exportAndCopyWorkOnTheMergedView() throws IOException {
    Container c = containers.create(Fixtures.request("bb:1", "sh", "-c", "echo made > /tmp/made"));
    Fixtures.attach(containers, c);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    containers.export(c.id(), tar);
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar.toByteArray()))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) names.add(e.getName());
    }
    assertTrue(names.containsAll(List.of("bin/busybox", "etc/motd", "tmp/made")), names.toString());
    Path out = Files.createDirectory(tmp.resolve("out"));
    containers.copies().copyOut(c.id(), "/tmp/made", out);
    assertEquals("made\n", Files.readString(out.resolve("made")));
    Path in = Files.writeString(tmp.resolve("host.txt"), "from host");
    containers.copies().copyIn(in, c.id(), "/etc/copied.txt");
    assertTrue(containers.diff(c.id()).contains(new Change(Change.Kind.ADDED, "/etc/copied.txt")));
  }

  @Test
  void logsFollowUntilTheContainerStops() {
    Container c = containers.start(containers.create(Fixtures.request("bb:1", "sh", "-c", "echo a; sleep 0.5; echo b")).id());
    List<String> lines = new ArrayList<>();
    containers.logs(c.id(), new Containers.LogOptions(true, -1, null, null), (stream, text, time) -> lines.add(text));
    assertEquals(List.of("a\n", "b\n"), lines);
  }

  @Test
  void readOnlyRootBindMountsHostnameAndEnvReachTheProcess() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("in"), "from the host");
    CreateRequest req = new CreateRequest("bb:1", "named", null, List.of("sh", "-c",
        "cat /data/in; echo; hostname; echo $GREETING; touch /x 2>/dev/null || echo ro-root; touch /data/y 2>/dev/null || echo ro-bind"),
        List.of("GREETING=hi"), null, null, "box", false, false, true, "none", List.of(data + ":/data:ro"), false);
    Fixtures.Result r = Fixtures.run(containers, req);
    assertEquals("from the host\nbox\nhi\nro-root\nro-bind\n", r.out(), r.err());
    assertEquals("named", containers.get("named").name());
  }

  // ---- SECURITY.md S29-S33 and hostile paths through cp

  @Test
  void s29WorkdirInProcIsRefusedBeforeAnythingIsCreated() {
    for (String wd : List.of("/proc/self/fd/7", "/proc/self/fd/3", "/proc/thread-self/cwd")) {
      CreateRequest req = new CreateRequest("bb:1", null, null, List.of("pwd"), List.of(), wd, null, null, false, false,
          false, null, List.of(), false);
      assertThrows(InvalidArgumentException.class, () -> containers.create(req));
    }
    Fixtures.busybox(images, "bb:wd", List.of("WORKDIR /proc/self/fd/8"), List.of());
    assertThrows(InvalidArgumentException.class, () -> containers.create(Fixtures.request("bb:wd", "pwd")));
    assertTrue(containers.list().isEmpty());
  }

  @Test
  void s30OverflowingUsersNeverRunAsRoot() {
    Fixtures.busybox(images, "bb:evil", List.of(), List.of(file("etc/passwd",
        "root:x:0:0::/root:/bin/sh\n4294967295:x:0:0::/:/bin/sh\n99999999999:x:0:0::/:/bin/sh\n", 0644)));
    for (String user : List.of("4294967295", "2147483648:0", "99999999999")) {
      CreateRequest req = new CreateRequest("bb:evil", null, null, List.of("id", "-u"), List.of(), null, user, null,
          false, false, false, null, List.of(), false);
      ExecFailure e = assertThrows(ExecFailure.class, () -> Fixtures.run(containers, req));
      assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }
  }

  @Test
  void s31ImageVolumesThatClimbAreRefused() {
    Fixtures.busybox(images, "bb:vol", List.of("VOLUME /../../../../etc/kubernetes"), List.of());
    assertThrows(InvalidArgumentException.class, () -> containers.create(Fixtures.request("bb:vol", "true")));
  }

  @Test
  void s32HostileRootfsShapesStayInside() throws Exception {
    Path hostDir = Files.createDirectories(tmp.resolve("host-dir"));
    Files.writeString(hostDir.resolve("keep"), "host");
    Fixtures.busybox(images, "bb:shapes", List.of(), List.of(symlink(hostDir.toString(), "dev"),
        symlink("/etc", "proc"), file("bin/selfexe", "#!/proc/self/exe\n", 0755)));
    byte[] runcBefore = Files.readAllBytes(Path.of("/usr/sbin/runc"));
    try {
      Fixtures.run(containers, Fixtures.request("bb:shapes", "/bin/selfexe"));
    } catch (ExecFailure e) {
      // refusing to start is a safe outcome; what matters is below
    }
    assertEquals(List.of("keep"), Files.list(hostDir).map(p -> p.getFileName().toString()).toList(),
        "nothing was mounted or written on the host");
    assertEquals("host", Files.readString(hostDir.resolve("keep")));
    assertTrue(java.util.Arrays.equals(runcBefore, Files.readAllBytes(Path.of("/usr/sbin/runc"))),
        "the runtime binary is unchanged");
  }

  @Test
  void s33LabelsNeverReachTheRuntime() throws IOException {
    Path marker = tmp.resolve("pwned");
    Fixtures.busybox(images, "bb:labels", List.of("LABEL evil=\"$(touch " + marker + ")\" plugin=binary:///bin/sh"), List.of());
    Container c = containers.create(Fixtures.request("bb:labels", "true"));
    assertEquals(0, Fixtures.attach(containers, c).exitCode());
    assertFalse(Files.exists(marker));
    String config = Files.readString(containers.dir(c.id()).resolve("config.json"));
    assertFalse(config.contains("touch") || config.contains("binary://"), config);
  }

  @Test
  void cpResolvesContainerPathsInsideTheRoot() throws IOException {
    Path hostDir = Files.createDirectories(tmp.resolve("victim"));
    Fixtures.busybox(images, "bb:links", List.of(), List.of(symlink(hostDir.toString(), "escape"),
        symlink("/etc/passwd", "tmp/pw")));
    Container c = containers.create(Fixtures.request("bb:links", "true"));
    Path payload = Files.writeString(tmp.resolve("payload"), "x");
    // /escape points at a path that does not exist inside the container: an error, never the host's directory
    assertThrows(io.strata.errdefs.NotFoundException.class, () -> containers.copies().copyIn(payload, c.id(), "/escape/payload"));
    assertEquals(List.of(), Files.list(hostDir).toList(), "the symlink resolved inside the container");
    Path out = Files.createDirectory(tmp.resolve("copied"));
    containers.copies().copyOut(c.id(), "/escape", out);
    assertTrue(Files.isSymbolicLink(out.resolve("escape")), "a symlink is copied as itself");
  }
}
