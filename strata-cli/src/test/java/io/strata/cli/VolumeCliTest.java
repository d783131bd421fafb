package io.strata.cli;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Json;
import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes as Docker users know them: named ones outlive their containers and are never removed
 * while used; an image's VOLUME gets an anonymous volume holding the image's content (owner and
 * mode too), writable under {@code --read-only} and left out of {@code commit}; {@code --mount},
 * {@code --tmpfs}, {@code --volumes-from} and {@code rm -v} as Docker has them, with its messages.
 */
class VolumeCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    List<TarEntrySpec> entries = new ArrayList<>(List.of(dir("bin", 0755), dir("etc", 0755), dir("tmp", 01777),
        file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)));
    for (String a : List.of("sh", "cat", "echo", "ls", "stat", "grep", "mkdir", "chown", "chmod", "sleep", "touch", "true")) {
      entries.add(symlink("busybox", "bin/" + a));
    }
    Path tar = Files.write(tmp.resolve("bb.tar"), TarFixture.of(entries).bytes());
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    // a relative VOLUME, as Docker takes it: from /
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM bb:1
        RUN mkdir -p /data && echo seeded > /data/seed && chown 5:7 /data && chmod 1770 /data
        VOLUME data
        """);
    cli.ok("build", "-q", "--network", "none", "-t", "vol:1", ctx.toString());
  }

  @AfterEach
  void noMountsLeft() throws Exception {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", "-v", id);
    List<String> left = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.contains(tmp.resolve("store").toString())).toList();
    assertEquals(List.of(), left);
  }

  @Test
  void aNamedVolumeOutlivesItsContainerAndIsNotRemovedWhileUsed() {
    cli.ok("run", "--name", "w1", "-v", "data:/d", "bb:1", "sh", "-c", "echo kept > /d/f");
    assertEquals("DRIVER    VOLUME NAME\nlocal     data\n", cli.ok("volume", "ls"));
    String id = inspect("w1").path("Id").asText();
    InProcessCli.Result busy = cli.run("volume", "rm", "data");
    assertEquals(1, busy.code());
    assertEquals("Error: remove data: volume is in use - [" + id + "]\n", busy.err());
    assertEquals("", cli.ok("volume", "ls", "-q", "--filter", "dangling=true"));
    cli.ok("rm", "-v", "w1");
    assertEquals("data\n", cli.ok("volume", "ls", "-q", "--filter", "dangling=true"), "rm -v keeps named volumes");
    assertEquals("kept\n", cli.ok("run", "--rm", "-v", "data:/d:ro", "bb:1", "cat", "/d/f"));
    assertTrue(cli.run("run", "--rm", "-v", "data:/d:ro", "bb:1", "touch", "/d/g").code() != 0, ":ro is read-only");
    JsonNode v = Json.readTree(cli.ok("volume", "inspect", "data").getBytes(StandardCharsets.UTF_8), "volume").get(0);
    assertEquals(tmp.resolve("store/volumes/data/_data").toString(), v.path("Mountpoint").asText());
    assertEquals("local", v.path("Driver").asText());
    assertEquals("data\n", cli.ok("volume", "rm", "data"));
    assertFalse(Files.exists(tmp.resolve("store/volumes/data")), "its files go with it");
    InProcessCli.Result gone = cli.run("volume", "inspect", "data");
    assertEquals(1, gone.code());
    assertEquals("Error: get data: no such volume\n", gone.err());
  }

  @Test
  void anImageVolumeHoldsTheImagesContentAndStaysOutOfCommit() {
    assertEquals("seeded\n1770 5:7\n", cli.ok("run", "--name", "c1", "--read-only", "vol:1", "sh", "-c",
        "cat /data/seed && stat -c '%a %u:%g' /data && echo written > /data/new"), "copied, owner and mode too, writable");
    JsonNode mounts = inspect("c1").path("Mounts");
    assertEquals(1, mounts.size());
    assertEquals("volume", mounts.at("/0/Type").asText());
    assertEquals("/data", mounts.at("/0/Destination").asText());
    String anonymous = mounts.at("/0/Name").asText();
    assertTrue(anonymous.matches("[0-9a-f]{64}"), anonymous);
    cli.ok("commit", "c1", "committed:1");
    assertEquals("seed\n", cli.ok("run", "--rm", "committed:1", "ls", "/data"), "the volume's content is not in the image");
    cli.ok("rm", "-v", "c1");
    assertFalse(cli.ok("volume", "ls", "-q").contains(anonymous), "rm -v removes its anonymous volume");
    cli.ok("run", "--rm", "vol:1", "true");
    assertEquals("", cli.ok("volume", "ls", "-q"), "--rm removes it too");
    cli.ok("run", "--name", "c2", "vol:1", "true");
    assertEquals(1, cli.ok("volume", "ls", "-q").lines().count(), "rm without -v keeps it, as Docker");
    cli.ok("rm", "c2");
    String pruned = cli.ok("volume", "prune", "-f");
    assertTrue(pruned.startsWith("Deleted Volumes:\n"), pruned);
    assertEquals("", cli.ok("volume", "ls", "-q"));
  }

  @Test
  void mountTmpfsAndVolumesFromAsDocker() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("in"), "from host\n");
    cli.ok("run", "-d", "--name", "src", "--mount", "type=bind,source=" + host + ",target=/h,readonly",
        "--mount", "type=volume,source=shared,target=/s", "--tmpfs", "/scratch:size=1m", "bb:1", "sleep", "30");
    String mounts = cli.ok("exec", "src", "cat", "/proc/mounts");
    assertTrue(mounts.lines().anyMatch(l -> l.startsWith("tmpfs /scratch tmpfs ") && l.contains("nosuid") && l.contains("nodev")
        && l.contains("noexec") && l.contains("size=1024k")), mounts);
    assertTrue(mounts.lines().anyMatch(l -> l.contains(" /h ") && l.contains("ro,")), mounts);
    cli.ok("exec", "src", "sh", "-c", "echo via-src > /s/f");
    assertEquals("from host\nvia-src\n", cli.ok("run", "--rm", "--volumes-from", "src:ro", "bb:1", "sh", "-c", "cat /h/in /s/f"));
    assertTrue(cli.run("run", "--rm", "--volumes-from", "src:ro", "bb:1", "touch", "/s/g").code() != 0);

    Path missing = tmp.resolve("made/by/v");
    cli.ok("run", "--rm", "-v", missing + ":/m", "bb:1", "true");
    assertTrue(Files.isDirectory(missing), "-v makes a missing host directory, as Docker");

    assertEquals("Error: invalid mount config for type \"bind\": field Source must not be empty\n",
        cli.run("run", "--rm", "--mount", "type=bind,target=/x", "bb:1", "true").err());
    assertEquals("Error: invalid mount config for type \"volume\": field Target must not be empty\n",
        cli.run("run", "--rm", "--mount", "source=v", "bb:1", "true").err());
    assertEquals("Error: invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-strata\n",
        cli.run("run", "--rm", "--mount", "type=bind,src=/nonexistent-strata,dst=/x", "bb:1", "true").err());
    assertEquals("Error: invalid argument \"type=volume,foo=bar,dst=/x\" for \"--mount\" flag: unexpected key 'foo' in 'foo=bar'\n",
        cli.run("run", "--rm", "--mount", "type=volume,foo=bar,dst=/x", "bb:1", "true").err());
    assertEquals("Error: Duplicate mount point: /x\n", cli.run("run", "--rm", "-v", "a:/x", "--tmpfs", "/x", "bb:1", "true").err());
    assertEquals("Error: invalid mode: rx\n", cli.run("run", "--rm", "-v", "a:/x:rx", "bb:1", "true").err());
    assertEquals(125, cli.run("run", "--rm", "-v", "a:rel", "bb:1", "true").code());
  }

  @Test
  void volumeOptionsAndDiskUsage() {
    assertEquals("tv\n", cli.ok("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=2m", "tv"));
    String mounts = cli.ok("run", "--rm", "-v", "tv:/t", "bb:1", "cat", "/proc/mounts");
    assertTrue(mounts.lines().anyMatch(l -> l.startsWith("tmpfs /t tmpfs ") && l.contains("size=2048k")), mounts);
    InProcessCli.Result nfs = cli.run("volume", "create", "-o", "type=nfs", "-o", "device=:/x", "nv");
    assertEquals(1, nfs.code());
    assertTrue(nfs.err().startsWith("Error: invalid volume options:"), nfs.err());
    assertEquals(1, cli.run("volume", "create", "-d", "other", "x1").code());
    assertEquals("named\n", cli.ok("volume", "create", "--label", "k=v", "named"));
    assertEquals("named\n", cli.ok("volume", "create", "named"), "creating an existing volume is no error, as in Docker");
    cli.ok("run", "--rm", "-v", "named:/n", "bb:1", "sh", "-c", "echo 12345 > /n/f");
    String df = cli.ok("system", "df");
    assertTrue(df.lines().anyMatch(l -> l.matches("Local Volumes\\s+2\\s+0\\s+6B\\s+6B \\(100%\\)")), df);
    assertEquals("named\n", cli.ok("volume", "ls", "-q", "--filter", "label=k=v"));
    assertTrue(cli.ok("volume", "prune", "-f").endsWith("Total reclaimed space: 0B\n"), "named volumes stay without -a");
    assertTrue(cli.ok("volume", "prune", "-a", "-f").contains("named\n"));
    assertEquals("", cli.ok("volume", "ls", "-q"));
  }

  private JsonNode inspect(String name) {
    return Json.readTree(cli.ok("inspect", name).getBytes(StandardCharsets.UTF_8), "inspect").get(0);
  }
}
