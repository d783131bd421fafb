package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attach}: a running container's output from then on, and its exit status; Docker's refusals. */
class AttachCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "sleep", "echo", "true"));
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  @Test
  void followsTheOutputAndEndsWithTheContainersStatus() {
    cli.ok("run", "-d", "--name", "job", "--network", "none", "bb:1", "sh", "-c",
        "echo before; sleep 2; echo out; echo err >&2; sleep 1; exit 7");
    InProcessCli.Result r = cli.run("attach", "job");
    assertEquals(7, r.code(), r.err());
    assertEquals("out\n", r.out(), "what it wrote after the attach, not before");
    assertEquals("err\n", r.err());
  }

  @Test
  void stoppedPausedAndUnknownContainersAreRefused() {
    cli.ok("create", "--name", "fresh", "--network", "none", "bb:1", "true");
    InProcessCli.Result stopped = cli.run("attach", "fresh");
    assertEquals(1, stopped.code());
    assertEquals("Error: You cannot attach to a stopped container, start it first\n", stopped.err());

    cli.ok("run", "-d", "--name", "held", "--network", "none", "bb:1", "sleep", "300");
    cli.ok("pause", "held");
    InProcessCli.Result paused = cli.run("attach", "--no-stdin", "held");
    assertEquals(1, paused.code());
    assertEquals("Error: You cannot attach to a paused container, unpause it first\n", paused.err());
    cli.ok("unpause", "held");

    InProcessCli.Result unknown = cli.run("attach", "nosuch");
    assertEquals(1, unknown.code());
    assertTrue(unknown.err().contains("No such container: nosuch"), unknown.err());
  }
}
