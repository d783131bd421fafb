package io.strata.cli;

import static io.strata.testkit.TarFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run flags that reach the runtime spec, seen from inside the container: capabilities,
 * no-new-privileges, ulimits, cgroup limits, devices, extra groups, --init, --privileged, labels and
 * stop settings in inspect, and Docker's message and 125 for a bad value.
 */
class RunFlagsCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "cat", "grep", "id", "ls", "ps", "true", "sleep"), file("etc/group", "root:x:0:\n", 0644));
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  private String in(String... args) {
    List<String> argv = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
    argv.addAll(List.of(args));
    return cli.ok(argv.toArray(String[]::new));
  }

  @Test
  void privilegesReachTheProcess() {
    assertTrue(in("--cap-drop", "ALL", "--cap-add", "NET_RAW", "bb:1", "grep", "CapEff", "/proc/self/status")
        .contains("0000000000002000"), "only CAP_NET_RAW (bit 13)");
    assertTrue(in("bb:1", "grep", "CapEff", "/proc/self/status").contains("00000000a80425fb"), "Docker's default set");
    assertTrue(in("--security-opt", "no-new-privileges", "bb:1", "grep", "NoNewPrivs", "/proc/self/status").contains("1"));
    assertTrue(in("--privileged", "bb:1", "grep", "CapEff", "/proc/self/status").contains("000001ff"), "every capability");
    assertEquals("uid=1000 gid=0(root) groups=0(root),1234\n", in("-u", "1000", "--group-add", "1234", "bb:1", "id"));
  }

  @Test
  void limitsDevicesAndInit() {
    assertEquals("100 200\n", in("--ulimit", "nofile=100:200", "bb:1", "sh", "-c", "echo $(ulimit -n) $(ulimit -Hn)"));
    String limits = in("-m", "64m", "--pids-limit", "50", "--cpus", "0.5", "bb:1", "sh", "-c",
        "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max 2>/dev/null"
            + " || cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us");
    assertTrue(limits.startsWith("67108864\n50\n") && limits.contains("50000"), limits); // cgroup v2 or v1
    assertTrue(in("--device", "/dev/null:/dev/mynull", "bb:1", "ls", "-l", "/dev/mynull").startsWith("crw-rw-rw-"));
    String ps = in("--init", "bb:1", "ps");
    assertTrue(ps.lines().anyMatch(l -> l.matches("\\s*1 root\\s+/sbin/docker-init -- ps")), ps);
  }

  @Test
  void inspectShowsThemAndBadValuesAre125() {
    cli.ok("create", "--name", "c1", "--network", "none", "-l", "tier=web", "--cap-add", "SYS_ADMIN", "-m", "1g",
        "--stop-timeout", "3", "--stop-signal", "SIGUSR1", "--ulimit", "nproc=10", "bb:1", "true");
    assertEquals("map[tier:web] [CAP_SYS_ADMIN] 1073741824 3 SIGUSR1 nproc\n", cli.ok("inspect", "-f",
        "{{.Config.Labels}} {{.HostConfig.CapAdd}} {{.HostConfig.Memory}} {{.Config.StopTimeout}} {{.Config.StopSignal}}"
            + " {{range .HostConfig.Ulimits}}{{.Name}}{{end}}", "c1"));
    var bad = cli.run("run", "--rm", "-m", "12zz", "bb:1", "true");
    assertEquals(125, bad.code());
    assertTrue(bad.err().contains("invalid argument \"12zz\" for \"-m, --memory\" flag"), bad.err());
    bad = cli.run("run", "--rm", "--ulimit", "bogus=1", "bb:1", "true");
    assertEquals(125, bad.code());
    assertTrue(bad.err().contains("invalid ulimit type: bogus"), bad.err());
    assertEquals("c1\n", cli.ok("ps", "-a", "--format", "{{.Names}}"), "nothing made by the refused runs");
  }
}
