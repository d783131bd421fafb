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

/** {@code stats}: Docker's columns and units, read from the containers' cgroups. */
class StatsCliTest {
  private static final List<String> HEADER = List.of("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O",
      "BLOCK I/O", "PIDS");

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
  void noStreamShowsTheLimitProcessesAndCpuOfRunningContainers() {
    String web = cli.ok("run", "-d", "--name", "web", "--network", "none", "-m", "64m", "bb:1", "sh", "-c",
        "sleep 300 & sleep 300 & wait").strip();
    cli.ok("run", "-d", "--name", "busy", "--network", "none", "bb:1", "sh", "-c", "while :; do :; done");
    cli.ok("create", "--name", "idle", "--network", "none", "bb:1", "true");

    List<String> lines = cli.ok("stats", "--no-stream").lines().toList();
    assertEquals(HEADER, List.of(lines.getFirst().split(" {2,}")), "Docker's columns");
    assertEquals(3, lines.size(), "running containers only: " + lines);
    String webRow = lines.stream().filter(l -> l.contains(" web ")).findFirst().orElseThrow();
    assertTrue(webRow.startsWith(web.substring(0, 12) + "   web "), webRow);
    assertTrue(webRow.matches(".* \\d+\\.\\d\\d%\\s+[\\d.]+(B|KiB|MiB) / 64MiB\\s+\\d+\\.\\d\\d%\\s+0B / 0B\\s+\\S+ / \\S+\\s+3"), webRow);

    String busy = cli.ok("stats", "--no-stream", "--format", "{{.CPUPerc}}", "busy").strip();
    assertTrue(busy.matches("\\d+\\.\\d\\d%") && Double.parseDouble(busy.replace("%", "")) > 0, "a busy loop uses CPU: " + busy);

    assertEquals("idle 0.00% 0B / 0B 0.00% 0B / 0B 0B / 0B 0\n", cli.ok("stats", "--no-stream", "--format",
        "{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.MemPerc}} {{.NetIO}} {{.BlockIO}} {{.PIDs}}", "idle"), "a stopped container: zeros");
    assertEquals(3, cli.ok("stats", "--no-stream", "-a", "--format", "{{.Name}}").lines().count(), "-a: stopped ones too");
    assertEquals(web + " web\n", cli.ok("stats", "--no-stream", "--no-trunc", "--format", "{{.ID}} {{.Container}}", "web"));
    assertTrue(cli.ok("stats", "--no-stream", "--format", "json", "web").matches("\\{\"BlockIO\":.*\"PIDs\":\"3\"}\n"));
  }

  @Test
  void streamingEndsWhenTheNamedContainersStop() {
    cli.ok("run", "-d", "--name", "short", "--network", "none", "bb:1", "sleep", "3");
    String out = cli.ok("stats", "--format", "table {{.Name}}\t{{.PIDs}}", "short");
    long tables = out.lines().filter(l -> l.startsWith("NAME")).count();
    assertTrue(tables >= 2, "a table a second: " + out);
    assertTrue(out.endsWith("short     0\n"), "the last one shows it stopped: " + out);
  }

  @Test
  void anUnknownContainerIsDockersErrorAndNothingIsShown() {
    cli.ok("run", "-d", "--name", "web", "--network", "none", "bb:1", "sleep", "300");
    InProcessCli.Result r = cli.run("stats", "--no-stream", "web", "nosuch");
    assertEquals(1, r.code());
    assertEquals("", r.out());
    assertEquals("Error: No such container: nosuch\n", r.err());
  }
}
