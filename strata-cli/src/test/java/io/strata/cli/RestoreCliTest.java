package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strata.testkit.HostRequirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code container restore} after a simulated crash (every monitor and container process killed
 * with SIGKILL, as a power loss leaves them): the restart policies decide, as a Docker daemon's start does.
 */
class RestoreCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "sleep", "true"));
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  @Test
  void restoreStartsWhatDockersDaemonWouldAfterACrash() throws Exception {
    for (String[] c : List.of(new String[] {"always", "always"}, new String[] {"unless", "unless-stopped"},
        new String[] {"unless-stopped-by-user", "unless-stopped"}, new String[] {"always-stopped-by-user", "always"},
        new String[] {"failure", "on-failure"}, new String[] {"none", "no"})) {
      cli.ok("run", "-d", "--name", c[0], "--network", "none", "--restart", c[1], "bb:1", "sleep", "300");
    }
    cli.ok("create", "--name", "never-started", "--network", "none", "--restart", "always", "bb:1", "sleep", "300");
    cli.ok("stop", "-t", "0", "unless-stopped-by-user", "always-stopped-by-user");

    crash();

    Set<String> restored = new TreeSet<>(cli.ok("container", "restore").lines().toList());
    assertEquals(new TreeSet<>(Arrays.asList("always", "always-stopped-by-user", "failure", "unless")), restored,
        "always even when stopped; unless-stopped unless stopped; on-failure after the crash's 255; never a container never started");
    assertEquals(restored, new TreeSet<>(cli.ok("ps", "--format", "{{.Names}}").lines().toList()));
    assertEquals("exited 255\n", cli.ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "none"));
    assertEquals("", cli.ok("container", "restore"), "a second restore starts nothing");
  }

  private static List<String> commandLine(long pid) {
    try {
      return Arrays.asList(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
    } catch (java.io.IOException e) {
      return List.of(); // gone meanwhile
    }
  }

  /** SIGKILL to every monitor of this store and to every container process, as a power loss does. */
  private void crash() throws Exception {
    String store = tmp.resolve("store").toString();
    List<ProcessHandle> monitors = ProcessHandle.allProcesses().filter(p -> {
      List<String> args = commandLine(p.pid());
      return args.contains(store) && args.stream().anyMatch(a -> a.endsWith("MonitorMain"));
    }).toList();
    assertEquals(4, monitors.size(), "a monitor per running container");
    List<Long> pids = new ArrayList<>();
    for (String id : cli.ok("ps", "-q", "--no-trunc").lines().toList()) {
      pids.add(Long.parseLong(cli.ok("inspect", "-f", "{{.State.Pid}}", id).strip()));
    }
    monitors.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle m : monitors) m.onExit().get(10, TimeUnit.SECONDS);
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.destroyForcibly();
        try {
          p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }
}
