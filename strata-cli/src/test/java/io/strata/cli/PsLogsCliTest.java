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

/** {@code ps} filters, formats, -n/-l/-s and Docker's COMMAND quoting; {@code logs} --tail, -t, --since, --until. */
class PsLogsCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "sleep", "echo", "true", "seq"));
    cli.ok("import", "-c", "CMD [\"sh\"]", "-c", "LABEL tier=web", tar.toString(), "bb:1");
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "plain:1");
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  @Test
  void psFiltersFormatsAndQuotesAsDocker() {
    assertEquals(3, cli.run("run", "--name", "three", "--network", "none", "plain:1", "sh", "-c", "exit 3").code());
    cli.ok("create", "--name", "fresh", "--network", "none", "bb:1", "true");
    cli.ok("run", "-d", "--name", "web1", "--network", "none", "bb:1", "sleep", "300");

    assertEquals("web1\n", cli.ok("ps", "--format", "{{.Names}}"), "running ones only");
    assertEquals("three\n", cli.ok("ps", "--filter", "exited=3", "--format", "{{.Names}}"), "a status filter lists stopped ones");
    assertEquals("fresh\n", cli.ok("ps", "--filter", "status=created", "--format", "{{.Names}}"));
    assertEquals("web1\nfresh\n", cli.ok("ps", "-a", "--filter", "label=tier=web", "--format", "{{.Names}}"));
    assertEquals("three\n", cli.ok("ps", "-a", "--filter", "ancestor=plain:1", "--format", "{{.Names}}"));
    assertEquals("web1\n", cli.ok("ps", "-a", "--filter", "name=^web", "--filter", "label=tier", "--format", "{{.Names}}"));
    assertEquals("web1\nthree\n", cli.ok("ps", "-a", "--filter", "name=web1", "--filter", "name=three", "--format", "{{.Names}}"),
        "values of one key are alternatives");
    assertEquals("web1\n", cli.ok("ps", "-l", "--format", "{{.Names}}"), "the latest created");
    assertEquals("web1\nfresh\n", cli.ok("ps", "-n", "2", "--format", "{{.Names}}"));
    assertEquals("web\n", cli.ok("ps", "--format", "{{.Label \"tier\"}}"));
    assertEquals("\"sh -c 'exit 3'\" exited\n",
        cli.ok("ps", "-a", "--filter", "name=three", "--format", "{{.Command}} {{.State}}"), "Docker's quoting");
    String sized = cli.ok("ps", "-s");
    assertTrue(sized.lines().findFirst().orElseThrow().endsWith("SIZE"), sized);
    assertTrue(sized.lines().skip(1).findFirst().orElseThrow().matches(".*\\d+(\\.\\d+)?k?B \\(virtual \\d+(\\.\\d+)?[kM]?B\\)"), sized);
    InProcessCli.Result bad = cli.run("ps", "--filter", "colour=red");
    assertTrue(bad.code() != 0);
    assertEquals("Error: invalid filter 'colour'\n", bad.err());
  }

  @Test
  void logsTailTimestampsSinceAndUntil() throws Exception {
    cli.ok("run", "--name", "counter", "--network", "none", "bb:1", "seq", "1", "5");
    assertEquals("1\n2\n3\n4\n5\n", cli.ok("logs", "counter"));
    assertEquals("4\n5\n", cli.ok("logs", "--tail", "2", "counter"));
    assertEquals("", cli.ok("logs", "-n", "0", "counter"));
    List<String> stamped = cli.ok("logs", "-t", "--tail", "1", "counter").lines().toList();
    assertEquals(1, stamped.size());
    assertTrue(stamped.getFirst().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z 5"), stamped.getFirst());
    String at = stamped.getFirst().substring(0, stamped.getFirst().indexOf(' '));
    assertEquals("", cli.ok("logs", "--since", "2099-01-01T00:00:00Z", "counter"));
    assertEquals("1\n2\n3\n4\n5\n", cli.ok("logs", "--since", "10m", "counter"));
    assertEquals("", cli.ok("logs", "--until", "10m", "counter"), "until ten minutes ago: nothing yet");
    assertTrue(cli.ok("logs", "--until", at, "counter").lines().count() <= 4, "until the last line's time, exclusive");
    assertTrue(cli.run("logs", "--since", "yesterday-ish", "counter").code() != 0);
  }
}
