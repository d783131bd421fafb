package io.strata.cli;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cp -} (tar streams both ways), {@code cp -L}, {@code cp -a}; {@code exec -d} and
 * {@code --env-file}; {@code start -a}; {@code run -t} without a terminal (a pty all the same);
 * {@code images --filter label|before|since}.
 */
class CopyExecCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    List<TarEntrySpec> entries = new ArrayList<>(List.of(dir("bin", 0755), dir("etc", 0755), dir("tmp", 01777),
        file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644), file("etc/motd", "hello\n", 0644),
        symlink("/etc/motd", "etc/motd.link")));
    for (String a : List.of("sh", "sleep", "cat", "ls", "stat", "tty", "true", "echo", "test")) entries.add(symlink("busybox", "bin/" + a));
    Path tar = Files.write(tmp.resolve("bb.tar"), TarFixture.of(entries).bytes());
    cli.ok("import", "-c", "CMD [\"sh\"]", "-c", "LABEL kind=base", tar.toString(), "bb:1");
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  /** The CLI with {@code stdin} as its standard input, its standard output as bytes. */
  private byte[] withStdin(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Streams streams = new Streams(new ByteArrayInputStream(stdin), out, new PrintStream(err, true, StandardCharsets.UTF_8),
        false, false, Map.of());
    int code = Cli.run(streams, Stream.concat(Stream.of("--root", tmp.resolve("store").toString()), Stream.of(args))
        .toArray(String[]::new));
    assertEquals(0, code, () -> String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void cpStreamsTarsAndFollowsLinksAndKeepsOwnersOnlyWithArchive() throws Exception {
    cli.ok("run", "-d", "--name", "box", "--network", "none", "bb:1", "sleep", "300");
    byte[] tar = withStdin(new byte[0], "cp", "box:/etc/motd", "-");
    Path out = Files.createDirectories(tmp.resolve("out"));
    new io.strata.layer.LayerApplier().apply(new ByteArrayInputStream(tar), out, io.strata.layer.ApplyOptions.defaults());
    assertEquals("hello\n", Files.readString(out.resolve("motd")), "cp CONTAINER:PATH - writes a tar named by the path");

    byte[] in = TarFixture.of(dir("d", 0755), file("d/f", "from a tar\n", 0600)).bytes();
    withStdin(in, "cp", "-", "box:/tmp");
    assertEquals("from a tar\n", cli.ok("exec", "box", "cat", "/tmp/d/f"));
    assertEquals(1, cli.run("cp", "-", "box:/nonexistent").code(), "a tar goes into an existing directory only");

    cli.ok("cp", "-L", "box:/etc/motd.link", tmp.resolve("followed").toString());
    assertEquals("hello\n", Files.readString(tmp.resolve("followed")));
    cli.ok("cp", "box:/etc/motd.link", tmp.resolve("link").toString());
    assertTrue(Files.isSymbolicLink(tmp.resolve("link")), "without -L the link itself");

    Path owned = Files.writeString(tmp.resolve("owned"), "x");
    Files.setAttribute(owned, "unix:uid", 4321);
    cli.ok("cp", owned.toString(), "box:/tmp/plain");
    cli.ok("cp", "-a", owned.toString(), "box:/tmp/kept");
    assertEquals("0\n4321\n", cli.ok("exec", "box", "stat", "-c", "%u", "/tmp/plain", "/tmp/kept"), "root's, or the source's with -a");
  }

  @Test
  void execDetachedWithAnEnvFileAndStartAttached() throws Exception {
    cli.ok("run", "-d", "--name", "box", "--network", "none", "bb:1", "sleep", "300");
    Path env = Files.writeString(tmp.resolve("env"), "# comment\nGREETING=hi there\n");
    assertEquals("hi there\n", cli.ok("exec", "--env-file", env.toString(), "box", "sh", "-c", "echo $GREETING"));
    assertEquals("", cli.ok("exec", "-d", "box", "sh", "-c", "sleep 0.3; echo done > /tmp/flag"));
    for (int i = 0; i < 50 && cli.run("exec", "box", "test", "-f", "/tmp/flag").code() != 0; i++) Thread.sleep(100);
    assertEquals("done\n", cli.ok("exec", "box", "cat", "/tmp/flag"), "the detached process ran on");

    cli.ok("create", "--name", "once", "--network", "none", "bb:1", "sh", "-c", "echo out; echo err >&2; exit 6");
    InProcessCli.Result attached = cli.run("start", "-a", "once");
    assertEquals(6, attached.code(), "start -a returns the container's status");
    assertEquals("out\n", attached.out());
    assertEquals("err\n", attached.err());
  }

  @Test
  void runDashTWithoutATerminalGetsAPty() {
    InProcessCli.Result r = cli.run("run", "-t", "--rm", "--network", "none", "bb:1", "sh", "-c", "tty; echo err >&2; exit 4");
    assertEquals(4, r.code());
    assertEquals("/dev/pts/0\r\nerr\r\n", r.out(), "one stream with CRLF, as Docker's -t output");
    cli.ok("run", "-dt", "--name", "tt", "--network", "none", "bb:1", "sh", "-c", "tty; sleep 300");
    for (int i = 0; i < 50 && cli.ok("logs", "tt").isEmpty(); i++) sleepQuietly();
    assertEquals("/dev/pts/0\r\n", cli.ok("logs", "tt"));
    InProcessCli.Result it = cli.run("run", "-i", "-t", "--rm", "bb:1", "true");
    assertEquals(1, it.code());
    assertEquals("Error: the input device is not a TTY\n", it.err());
  }

  @Test
  void imagesFilterByLabelBeforeAndSince() throws Exception {
    Thread.sleep(50);
    cli.ok("import", "-c", "LABEL kind=app", tmp.resolve("bb.tar").toString(), "app:1");
    assertEquals("app\n", cli.ok("images", "--filter", "label=kind=app", "--format", "{{.Repository}}"));
    assertEquals(List.of("app", "bb"), cli.ok("images", "--filter", "label=kind", "--format", "{{.Repository}}").lines().sorted().toList());
    assertEquals("bb\n", cli.ok("images", "--filter", "before=app:1", "--format", "{{.Repository}}"));
    assertEquals("app\n", cli.ok("images", "--filter", "since=bb:1", "--format", "{{.Repository}}"));
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
