package io.strata.cli;

import static io.strata.testkit.TarFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Json;
import io.strata.testkit.HostRequirements;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Differences from Docker 20.10 found by comparing the two (issue 14): inspect fields, the init layer, messages. */
class DockerParityCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "true", "readlink", "touch"), file("etc/mtab", "stale\n", 0644));
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  private JsonNode inspect(String name) {
    return Json.readTree(cli.ok("inspect", name).getBytes(), "inspect").get(0);
  }

  @Test
  void imageInspectHasDockersLegacyFieldsAndTheCommitMessageAsComment() {
    JsonNode imported = inspect("bb:1");
    assertEquals(imported.get("Size"), imported.get("VirtualSize"), "20.10 repeats Size as VirtualSize");
    assertEquals("", imported.get("Container").asText());
    JsonNode empty = imported.get("ContainerConfig");
    assertEquals("", empty.get("Hostname").asText(), empty.toString());
    assertTrue(empty.get("Cmd").isNull(), "an imported image has an empty container config: " + empty);
    List<String> keys = new ArrayList<>();
    imported.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "Container", "ContainerConfig",
        "DockerVersion", "Author", "Config", "Architecture", "Os", "Size", "VirtualSize", "RootFS", "Metadata"), keys);

    cli.ok("run", "--name", "c1", "--network", "none", "bb:1", "touch", "/made");
    cli.ok("commit", "-m", "a message", "c1", "bb:committed");
    assertEquals("a message\n", cli.ok("inspect", "-f", "{{.Comment}}", "bb:committed"),
        "Docker shows the last history entry's comment");
    assertEquals("0\n", cli.ok("inspect", "-f", "{{.RestartCount}}", "c1"));
  }

  @Test
  void etcMtabLinksToProcMountsFromTheInitLayer() {
    assertEquals("/proc/mounts\n", cli.ok("run", "--name", "m1", "--network", "none", "bb:1", "sh", "-c",
        "readlink /etc/mtab && touch /made"), "over the image's own file, as Docker's init layer");
    assertEquals("A /made\n", cli.ok("diff", "m1"), "the init layer is not the container's change");
    cli.ok("commit", "m1", "bb:m1");
    cli.ok("run", "--name", "m2", "--network", "none", "bb:m1", "true");
    assertEquals("", cli.ok("diff", "m2"));
    assertEquals("/proc/mounts\n", cli.ok("run", "--rm", "--network", "none", "bb:m1", "readlink", "/etc/mtab"));
  }

  @Test
  void messagesAreDockers() {
    cli.ok("create", "--name", "user", "--network", "none", "bb:1", "true");
    String id = cli.ok("inspect", "-f", "{{.Id}}", "user").strip().substring(0, 12);
    String image = cli.ok("inspect", "-f", "{{.Id}}", "bb:1").strip().substring(7, 19);
    InProcessCli.Result used = cli.run("rmi", "bb:1");
    assertEquals(1, used.code());
    assertEquals("Error: conflict: unable to remove repository reference \"bb:1\" (must force) - container " + id
        + " is using its referenced image " + image + "\n", used.err());

    InProcessCli.Result rmi = cli.run("rmi", "busybox", "docker.io/library/foo:2");
    assertEquals(1, rmi.code());
    assertEquals("Error: No such image: busybox:latest\nError: No such image: foo:2\n", rmi.err(),
        "the daemon's form: familiar, tagged latest when untagged");
    InProcessCli.Result history = cli.run("history", "docker.io/library/busybox");
    assertEquals("Error: No such image: busybox:latest\n", history.err());
    InProcessCli.Result inspect = cli.run("image", "inspect", "busybox");
    assertEquals(1, inspect.code());
    assertEquals("Error: No such image: busybox\n", inspect.err(), "the client's form: the name as typed");
    assertEquals("Error: No such object: busybox\n", cli.run("inspect", "busybox").err());

    InProcessCli.Result none = cli.run("rmi");
    assertEquals(1, none.code());
    assertEquals("\"strata rmi\" requires at least 1 argument.\nSee 'strata rmi --help'.\n\n"
        + "Usage:  strata rmi [OPTIONS] IMAGE [IMAGE...]\n\nRemove one or more images\n", none.err());
    InProcessCli.Result extra = cli.run("history", "bb:1", "bb:2");
    assertEquals(1, extra.code());
    assertTrue(extra.err().startsWith("\"strata history\" requires exactly 1 argument.\n"), extra.err());
    assertTrue(cli.run("ps", "x").err().startsWith("\"strata ps\" accepts no arguments.\n"));
    assertTrue(cli.run("commit").err().startsWith("\"strata commit\" requires at least 1 and at most 2 arguments.\n"));
    assertEquals(125, cli.run("rmi", "--bogus", "x").code(), "a flag error stays a usage error");
  }
}
