package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 part 5's build inputs: each refused with one line and its rc, or taken as Docker takes it; never a stack trace. */
class BuildBadInputCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;
  private Path ctx;

  @BeforeEach
  void context() throws Exception {
    cli = new InProcessCli(tmp.resolve("store"));
    ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("a"), "hi\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY a /a\n");
  }

  private void noTrace(InProcessCli.Result r) {
    assertFalse((r.out() + r.err()).contains("Exception"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void aTimestampOutOfRangeIsPflagsMessageAnd125() {
    var r = cli.run("build", "--timestamp", "99999999999999999999", ctx.toString());
    assertEquals(125, r.code());
    assertTrue(r.err().startsWith("strata: invalid argument \"99999999999999999999\" for \"--timestamp\" flag: strconv.ParseInt: "
        + "parsing \"99999999999999999999\": value out of range\n"), r.err());
    noTrace(r);
    assertEquals("", cli.ok("images", "-q"), "nothing stored");
  }

  @Test
  void aDurationBeyondGosRangeIsRefused() throws Exception {
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nHEALTHCHECK --interval=9999999999h CMD true\n");
    var r = cli.run("build", "-q", ctx.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().endsWith("Error: Dockerfile:2: invalid duration 9999999999h for --interval\n"), r.err());
    noTrace(r);
  }

  @Test
  void bytesThatAreNotUtf8BecomeReplacementCharactersAsInDocker() throws Exception {
    Files.write(ctx.resolve("Dockerfile"), new byte[] {'F', 'R', 'O', 'M', ' ', 's', 'c', 'r', 'a', 't', 'c', 'h', '\n',
        'L', 'A', 'B', 'E', 'L', ' ', 'a', '=', (byte) 0xff, (byte) 0xfe, '\n'});
    cli.ok("build", "-q", "-t", "lab:1", ctx.toString());
    assertEquals("\uFFFD\uFFFD\n", cli.ok("inspect", "-f", "{{index .Config.Labels \"a\"}}", "lab:1"));
  }

  @Test
  void aDockerfileLinkedOutOfTheContextIsNotFollowed() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret"), "top-secret-content\n");
    Files.delete(ctx.resolve("Dockerfile"));
    Files.createSymbolicLink(ctx.resolve("Dockerfile"), secret);
    var r = cli.run("build", ctx.toString());
    assertEquals(1, r.code());
    assertEquals("Error: failed to read dockerfile: open " + ctx.resolve("Dockerfile") + ": no such file or directory\n", r.err());
    assertFalse(r.out().contains("top-secret") || r.err().contains("top-secret"));

    Files.delete(ctx.resolve("Dockerfile"));
    Files.createSymbolicLink(ctx.resolve("Dockerfile"), Path.of("../../..", secret.toString())); // .. stays at the context's root
    assertEquals(1, cli.run("build", ctx.toString()).code());

    Files.writeString(ctx.resolve("Real.dockerfile"), "FROM scratch\nCOPY a /a\n");
    Files.delete(ctx.resolve("Dockerfile"));
    Files.createSymbolicLink(ctx.resolve("Dockerfile"), Path.of("/Real.dockerfile")); // absolute: the context's root
    cli.ok("build", "-q", "-t", "linked:1", ctx.toString());
  }
}
