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

/** {@code update}: limits kept and applied to a running container's cgroup, restart policy, Docker's errors. */
class UpdateCliTest {
  /** The limits as the container sees them, cgroup v2 or v1: memory, pids, CPU quota. */
  private static final String LIMITS = "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max 2>/dev/null"
      + " || cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us";

  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "cat", "sleep", "true"));
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  @Test
  void aRunningContainersCgroupGetsTheNewLimits() {
    cli.ok("run", "-d", "--name", "web", "--network", "none", "-m", "64m", "bb:1", "sleep", "300");
    assertTrue(cli.ok("exec", "web", "sh", "-c", LIMITS).startsWith("67108864\n"));

    assertEquals("web\n", cli.ok("update", "-m", "96m", "--pids-limit", "20", "--cpus", "0.5", "web"), "each container as given");
    String limits = cli.ok("exec", "web", "sh", "-c", LIMITS);
    assertTrue(limits.startsWith("100663296\n20\n") && limits.contains("50000"), limits);
    assertEquals("100663296 20 500000000\n", cli.ok("inspect", "-f",
        "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.NanoCpus}}", "web"));

    cli.ok("update", "--pids-limit", "-1", "web");
    assertTrue(cli.ok("exec", "web", "sh", "-c", LIMITS).contains("\nmax\n"), "-1 is no limit");
    assertEquals("<nil>\n", cli.ok("inspect", "-f", "{{.HostConfig.PidsLimit}}", "web"));
  }

  @Test
  void aStoppedContainerStartsWithTheNewLimits() {
    cli.ok("create", "--name", "later", "--network", "none", "bb:1", "sh", "-c", LIMITS);
    cli.ok("update", "-m", "48m", "--pids-limit", "30", "later");
    cli.ok("start", "later");
    cli.ok("wait", "later");
    assertTrue(cli.ok("logs", "later").startsWith("50331648\n30\n"), cli.ok("logs", "later"));
  }

  @Test
  void aNewRestartPolicyAppliesToTheCurrentRun() throws Exception {
    cli.ok("run", "-d", "--name", "flaky", "--network", "none", "bb:1", "sh", "-c", "sleep 1; exit 3");
    cli.ok("update", "--restart", "on-failure:2", "flaky");
    assertEquals("on-failure 2\n", cli.ok("inspect", "-f",
        "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", "flaky"));
    for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
      if (cli.ok("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "flaky").equals("exited 2\n")) return;
    }
    throw new AssertionError("not restarted twice: " + cli.ok("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "flaky"));
  }

  @Test
  void badRequestsAreDockersErrorsAndChangeNothing() {
    cli.ok("run", "-d", "--name", "web", "--network", "none", "-m", "64m", "bb:1", "sleep", "300");
    String swap = cli.ok("inspect", "-f", "{{.HostConfig.MemorySwap}}", "web");

    InProcessCli.Result none = cli.run("update", "web");
    assertEquals(1, none.code());
    assertEquals("Error: you must provide one or more flags when using this command\n", none.err());

    InProcessCli.Result some = cli.run("update", "--cpus", "0.5", "nosuch", "web");
    assertEquals(1, some.code(), "one failed");
    assertEquals("web\n", some.out(), "the others are updated");
    assertTrue(some.err().contains("No such container: nosuch"), some.err());

    InProcessCli.Result small = cli.run("update", "-m", "1m", "web");
    assertEquals(1, small.code());
    assertTrue(small.err().matches("Error: Cannot update container [0-9a-f]{64}: Minimum memory limit allowed is 6MB\n"), small.err());

    InProcessCli.Result bad = cli.run("update", "-m", "12zz", "web");
    assertEquals(125, bad.code());
    assertTrue(bad.err().contains("invalid argument \"12zz\" for \"-m, --memory\" flag"), bad.err());

    InProcessCli.Result rm = cli.run("run", "-d", "--rm", "--name", "gone", "--network", "none", "bb:1", "sleep", "300");
    assertEquals(0, rm.code(), rm.err());
    InProcessCli.Result policy = cli.run("update", "--restart", "always", "gone");
    assertEquals(1, policy.code());
    assertTrue(policy.err().contains("Restart policy cannot be updated because AutoRemove is enabled for the container"), policy.err());

    assertEquals("67108864 " + swap.strip() + " 500000000\n", cli.ok("inspect", "-f",
        "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}}", "web"), "only the --cpus update was made");
    assertTrue(cli.ok("exec", "web", "sh", "-c", LIMITS).startsWith("67108864\n"));
  }
}
