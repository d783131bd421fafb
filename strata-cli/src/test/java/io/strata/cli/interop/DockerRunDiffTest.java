package io.strata.cli.interop;

import static io.strata.cli.interop.ExternalTools.require;
import static io.strata.cli.interop.ExternalTools.requireRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Containers run by strata and by Docker from the same image give the same answers: the process
 * identity of {@code run -u} and {@code exec -u} (uid, gid, supplementary groups, HOME; issue 13 part
 * 2b), and a relative command path resolved against the working directory (issue 14).
 */
class DockerRunDiffTest {
  private static final String IMAGE = "strata-it/run-diff:1";
  private static final String PROBE = "id; echo HOME=$HOME";

  @TempDir static Path shared;
  private static Dockerd docker;
  private static StrataCli strata;
  private static final List<String> dockerContainers = new ArrayList<>();

  @BeforeAll
  static void image() throws Exception {
    require("docker");
    require("dockerd");
    requireRoot();
    HostRequirements.containers();
    docker = Dockerd.start(shared);
    strata = new StrataCli(shared.resolve("store"));
    List<io.strata.testkit.TarEntrySpec> entries = new ArrayList<>(List.of(
        TarFixture.dir("bin", 0755),
        TarFixture.file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
        TarFixture.dir("etc", 0755),
        TarFixture.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
            + "app:x:1000:1000:app:/home/app:/bin/sh\n", 0644),
        TarFixture.file("etc/group", "root:x:0:\naudio:x:29:app\nstaff:x:50:app,root\nnogroup:x:65534:\napp:x:1000:\n", 0644),
        TarFixture.dir("tmp", 01777),
        TarFixture.dir("srv", 0755),
        TarFixture.dir("srv/app", 0755),
        TarFixture.file("srv/app/app.sh", "#!/bin/sh\necho \"app in $(pwd) args:$*\"\n", 0755),
        TarFixture.dir("srv/app/sub", 0755),
        TarFixture.file("srv/app/sub/s.sh", "#!/bin/sh\necho sub\n", 0755)));
    for (String a : List.of("sh", "id", "sleep", "echo", "pwd", "cat")) entries.add(TarFixture.symlink("busybox", "bin/" + a));
    Path tar = Files.write(shared.resolve("rootfs.tar"), TarFixture.of(entries).bytes());
    strata.ok("import", "-c", "WORKDIR /srv/app", "-c", "CMD [\"./app.sh\"]", "-c", "ENV PATH=/bin", tar.toString(), IMAGE);
    Path archive = shared.resolve("image.tar");
    strata.ok("save", "-o", archive.toString(), IMAGE);
    docker.run("load", "-i", archive.toString());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (docker == null) return;
    for (String c : dockerContainers) ExternalTools.exec(docker.cmd("rm", "-f", c));
    ExternalTools.exec(docker.cmd("rmi", "-f", IMAGE));
    docker.close();
  }

  private static String dockerRun(String... args) {
    List<String> cmd = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
    cmd.addAll(List.of(args));
    return docker.run(cmd.toArray(String[]::new));
  }

  private static String strataRun(String... args) {
    List<String> cmd = new ArrayList<>(List.of("run", "--rm"));
    cmd.addAll(List.of(args));
    return strata.ok(cmd.toArray(String[]::new));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "root", "0", "nobody", "65534", "app", "1000", "app:audio", "1000:29", "app:50",
      "4242", "4242:50", "nobody:staff"})
  void runAsAUserGivesDockersIdentity(String user) {
    List<String> u = user.isEmpty() ? List.of() : List.of("-u", user);
    List<String> args = new ArrayList<>(u);
    args.addAll(List.of(IMAGE, "sh", "-c", PROBE));
    assertEquals(dockerRun(args.toArray(String[]::new)), strataRun(args.toArray(String[]::new)), "run -u " + user);
  }

  @Test
  void execAsAUserGivesDockersIdentityNotPid1s() {
    String name = "strata-it-exec-" + ProcessHandle.current().pid();
    dockerContainers.add(name);
    docker.run("run", "-d", "--network", "none", "--name", name, "-u", "nobody", IMAGE, "sleep", "120");
    strata.ok("run", "-d", "--name", name, "-u", "nobody", IMAGE, "sleep", "120");
    try {
      for (String user : List.of("", "root", "0", "nobody", "app", "1000", "app:audio", "4242", "1000:50")) {
        List<String> args = new ArrayList<>(List.of("exec"));
        if (!user.isEmpty()) args.addAll(List.of("-u", user));
        args.addAll(List.of(name, "sh", "-c", PROBE));
        String[] argv = args.toArray(String[]::new);
        assertEquals(docker.run(argv), strata.ok(argv), "exec -u " + user);
      }
    } finally {
      strata.exec("rm", "-f", name);
    }
  }

  @Test
  void aRelativeCommandPathRunsFromTheWorkingDirectory() {
    assertEquals("app in /srv/app args:\n", dockerRun(IMAGE));
    assertEquals(dockerRun(IMAGE), strataRun(IMAGE), "CMD [\"./app.sh\"] with WORKDIR /srv/app");
    assertEquals(dockerRun(IMAGE, "./app.sh", "x", "y"), strataRun(IMAGE, "./app.sh", "x", "y"));
    assertEquals(dockerRun(IMAGE, "sub/s.sh"), strataRun(IMAGE, "sub/s.sh"), "a relative path with a directory");
    assertEquals(dockerRun("-w", "/srv", IMAGE, "app/app.sh"), strataRun("-w", "/srv", IMAGE, "app/app.sh"));
    assertEquals(dockerRun("--entrypoint", "./app.sh", IMAGE, "e"), strataRun("--entrypoint", "./app.sh", IMAGE, "e"));
  }

  @Test
  void aRelativeCommandPathWorksInCreateStartAndExec() {
    String name = "strata-it-rel-" + ProcessHandle.current().pid();
    try {
      strata.ok("create", "--name", name, IMAGE);
      strata.ok("start", name);
      assertEquals("0\n", strata.ok("wait", name));
      assertEquals("app in /srv/app args:\n", strata.ok("logs", name));
      strata.ok("rm", name);
      strata.ok("run", "-d", "--name", name, IMAGE, "sleep", "120");
      assertEquals("app in /srv/app args:z\n", strata.ok("exec", name, "./app.sh", "z"));
      assertEquals("sub\n", strata.ok("exec", "-w", "/srv/app/sub", name, "./s.sh"));
    } finally {
      strata.exec("rm", "-f", name);
    }
  }

  /** An exec the runtime cannot start: Docker 20.10's status 126 and its one "OCI runtime exec failed" line. */
  @Test
  void execFailuresReadLikeDockers() {
    String name = "strata-it-execfail-" + ProcessHandle.current().pid();
    dockerContainers.add(name);
    docker.run("run", "-d", "--network", "none", "--name", name, IMAGE, "sleep", "120");
    strata.ok("run", "-d", "--network", "none", "--name", name, IMAGE, "sleep", "120");
    try {
      for (List<String> args : List.of(List.of("exec", name, "nosuch"), List.of("exec", "-w", "/nonexist", name, "true"))) {
        ExternalTools.Result theirs = ExternalTools.exec(docker.cmd(args.toArray(String[]::new)));
        StrataCli.Result ours = strata.exec(args.toArray(String[]::new));
        assertEquals(theirs.code(), ours.code(), String.join(" ", args));
        assertEquals(1, ours.err().lines().count(), ours.err());
        String tail = args.contains("nosuch") ? "exec: \"nosuch\": executable file not found in $PATH: unknown"
            : "chdir to cwd (\"/nonexist\") set in config.json failed: no such file or directory: unknown";
        // Docker 20.10 prints this line on standard output; strata keeps errors on standard error
        String line = (theirs.out() + theirs.err()).strip();
        assertTrue(line.startsWith("OCI runtime exec failed: exec failed: ") && line.endsWith(tail), line);
        assertEquals("Error: " + line, ours.err().strip());
      }
    } finally {
      strata.exec("rm", "-f", name);
    }
  }
}
