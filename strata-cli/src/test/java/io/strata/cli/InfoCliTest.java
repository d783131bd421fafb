package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.testkit.HostRequirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code info}: Docker's layout and Info fields, counting this store's containers and images. */
class InfoCliTest {
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
  void countsContainersByStateAndImages() {
    assertEquals("0 0 0 0 1\n", cli.ok("info", "--format",
        "{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}} {{.Images}}"));
    cli.ok("run", "-d", "--name", "up", "--network", "none", "bb:1", "sleep", "300");
    cli.ok("run", "-d", "--name", "held", "--network", "none", "bb:1", "sleep", "300");
    cli.ok("pause", "held");
    cli.ok("create", "--name", "fresh", "--network", "none", "bb:1", "true");
    cli.ok("run", "--name", "done", "--network", "none", "bb:1", "true");

    assertEquals("4 1 1 2 1\n", cli.ok("info", "--format",
        "{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}} {{.Images}}"));
    String text = cli.ok("info");
    assertTrue(text.startsWith("Client:\n"), text);
    assertTrue(text.contains("\nServer:\n Containers: 4\n  Running: 1\n  Paused: 1\n  Stopped: 2\n Images: 1\n"), text);
    assertTrue(text.contains("\n Docker Root Dir: " + tmp.resolve("store") + "\n"), text);
    assertTrue(text.contains("\n Default Runtime: runc\n"), text);
    cli.ok("unpause", "held");
  }

  @Test
  void jsonHasDockersInfoFields() throws Exception {
    String json = cli.ok("info", "--format", "{{json .}}");
    JsonNode info = io.strata.oci.Json.readTree(json.getBytes(StandardCharsets.UTF_8), "info");
    assertEquals(0, info.path("Containers").asInt());
    assertEquals("linux", info.path("OSType").asText());
    assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), info.path("KernelVersion").asText());
    assertEquals(Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1", info.path("CgroupVersion").asText());
    assertTrue(info.path("NCPU").asInt() > 0 && info.path("MemTotal").asLong() > 0, json);
    assertTrue(info.path("Runtimes").has("runc"), json);
    assertEquals(json.replaceAll("\"SystemTime\":\"[^\"]*\"", ""),
        cli.ok("info", "--format", "json").replaceAll("\"SystemTime\":\"[^\"]*\"", ""), "json is {{json .}}");
    InProcessCli.Result bad = cli.run("info", "--format", "{{.Nope");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("template parsing error"), bad.err());
  }
}
