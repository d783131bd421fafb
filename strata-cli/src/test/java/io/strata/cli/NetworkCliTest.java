package io.strata.cli;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Json;
import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networks as Docker users know them, on netavark: a published port answers on the host, containers
 * of a user network find each other by name and alias (not on the default bridge, as in Docker), a
 * build's RUN has the network unless {@code --network none}, and nothing (namespace, veth, address)
 * stays after a container goes, even when its monitor was killed.
 */
class NetworkCliTest {
  private static final String PAGE = "hello from web\n";
  private static final String HTTPD = "httpd -f -p 80 -h /www";
  @TempDir Path tmp;
  private InProcessCli cli;
  private List<String> vethsBefore;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.networks();
    cli = new InProcessCli(tmp.resolve("store"));
    vethsBefore = veths();
    List<TarEntrySpec> entries = new ArrayList<>(List.of(dir("bin", 0755), dir("etc", 0755), dir("tmp", 01777), dir("www", 0755),
        file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644), file("www/index.html", PAGE, 0644)));
    for (String a : List.of("sh", "sleep", "cat", "true", "httpd", "nc", "grep", "sed", "printf")) {
      entries.add(symlink("busybox", "bin/" + a));
    }
    Path tar = Files.write(tmp.resolve("bb.tar"), TarFixture.of(entries).bytes());
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
    cli.ok("import", "-c", "EXPOSE 80", tar.toString(), "exposed:1");
  }

  @AfterEach
  void nothingLeft() throws Exception {
    if (cli == null) return;
    cli.run("rm", "-f", "web", "db");
    List<String> netns = Files.isDirectory(Path.of("/run/netns")) ? List.of(Path.of("/run/netns").toFile().list()) : List.of();
    for (String id : cli.ok("ps", "-a", "-q", "--no-trunc").lines().toList()) {
      assertFalse(netns.contains("strata-" + id.substring(0, 12)), "a stopped container keeps no namespace");
    }
    assertEquals(vethsBefore, veths(), "no veth pair is left on the host");
  }

  @Test
  void aPublishedPortAnswersOnTheHostUntilTheContainerGoes() throws Exception {
    String id = cli.ok("run", "-d", "--name", "web", "-p", "127.0.0.1::80", "bb:1", "sh", "-c", HTTPD).strip();
    String hostPort = cli.ok("port", "web", "80").strip();
    assertTrue(hostPort.matches("127\\.0\\.0\\.1:\\d+"), hostPort);
    URI uri = URI.create("http://" + hostPort + "/");
    assertEquals(PAGE, get(uri));
    assertTrue(cli.ok("ps").contains(hostPort + "->80/tcp"), "ps shows the publication");
    assertEquals("80/tcp -> " + hostPort + "\n", cli.ok("port", "web"));

    JsonNode settings = inspect("web").path("NetworkSettings");
    String ip = settings.path("IPAddress").asText();
    assertEquals(ip, settings.at("/Networks/bridge/IPAddress").asText());
    assertTrue(ip.matches("10\\.\\d+\\.\\d+\\.\\d+"), ip);
    assertEquals(hostPort.substring(hostPort.indexOf(':') + 1), settings.at("/Ports/80~1tcp/0/HostPort").asText());
    assertTrue(Files.exists(Path.of("/run/netns/strata-" + id.substring(0, 12))), "its namespace while it runs");
    String hosts = cli.ok("exec", "web", "cat", "/etc/hosts");
    assertTrue(hosts.contains(ip + "\t" + id.substring(0, 12) + "\n"), "its address and hostname, as in Docker: " + hosts);

    cli.ok("stop", "-t", "1", "web");
    assertThrows(ConnectException.class, () -> once(uri), "the forward goes with the container");
    assertEquals("", inspect("web").at("/NetworkSettings/IPAddress").asText(), "a stopped container holds no address");
    assertFalse(Files.exists(Path.of("/run/netns/strata-" + id.substring(0, 12))));
    cli.ok("start", "web");
    String again = cli.ok("port", "web", "80").strip();
    assertEquals(PAGE, get(URI.create("http://" + again + "/")), "a restart publishes again");
  }

  @Test
  void containersOnAUserNetworkFindEachOtherByNameAndAlias() throws Exception {
    String netId = cli.ok("network", "create", "appnet").strip();
    assertTrue(netId.matches("[0-9a-f]{64}"), netId);
    assertTrue(cli.ok("network", "ls").contains(netId.substring(0, 12) + "   appnet"), "listed");
    cli.ok("run", "-d", "--name", "db", "--network", "appnet", "--network-alias", "database", "bb:1", "sh", "-c", HTTPD);
    for (String name : List.of("db", "database")) {
      assertEquals(PAGE, cli.ok("run", "--rm", "--network", "appnet", "bb:1", "sh", "-c", fetch(name)), name);
    }
    JsonNode net = Json.readTree(cli.ok("network", "inspect", "appnet").getBytes(StandardCharsets.UTF_8), "inspect").get(0);
    assertEquals("db", net.path("Containers").elements().next().path("Name").asText());
    String subnet = net.at("/IPAM/Config/0/Subnet").asText();
    assertTrue(subnet.matches("10\\.91\\.\\d+\\.0/24"), subnet);

    // the default bridge has no name resolution, as in Docker
    InProcessCli.Result onBridge = cli.run("run", "--rm", "bb:1", "sh", "-c", "nc -w 2 db 80 < /dev/null");
    assertNotEquals(0, onBridge.code());
    assertTrue(onBridge.err().contains("bad address 'db'"), onBridge.err());

    InProcessCli.Result busy = cli.run("network", "rm", "appnet");
    assertEquals(1, busy.code());
    assertEquals("Error: error while removing network: network appnet has active endpoints\n", busy.err());
    cli.ok("rm", "-f", "db");
    assertEquals("appnet\n", cli.ok("network", "rm", "appnet"));
    assertFalse(cli.ok("network", "ls").contains("appnet"));
  }

  @Test
  void aBuildsRunHasTheNetworkUnlessNone() throws Exception {
    cli.ok("run", "-d", "--name", "web", "bb:1", "sh", "-c", HTTPD);
    String ip = inspect("web").at("/NetworkSettings/IPAddress").asText();
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM bb:1\nRUN (" + fetch(ip) + ") > /got\n");
    cli.ok("build", "-q", "-t", "fetched:1", ctx.toString());
    assertEquals(PAGE, cli.ok("run", "--rm", "--network", "none", "fetched:1", "cat", "/got"));

    InProcessCli.Result cut = cli.run("build", "-q", "--no-cache", "--network", "none", "-t", "cut:1", ctx.toString());
    assertEquals(1, cut.code());
    assertTrue(cut.err().contains("Network is unreachable"), cut.err());
  }

  @Test
  void aKilledMonitorsNetworkIsTornDownByTheNextCommand() throws Exception {
    String id = cli.ok("run", "-d", "--name", "web", "-P", "exposed:1", "sh", "-c", HTTPD).strip();
    Path netns = Path.of("/run/netns/strata-" + id.substring(0, 12));
    assertTrue(Files.exists(netns));
    assertTrue(cli.ok("port", "web").matches("80/tcp -> 0\\.0\\.0\\.0:\\d+\n"), "-P publishes what the image exposes");
    ProcessHandle monitor = ProcessHandle.allProcesses().filter(p -> {
      try {
        List<String> args = List.of(Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).split("\0"));
        return args.contains(id) && args.contains("io.strata.runtime.MonitorMain");
      } catch (IOException gone) {
        return false;
      }
    }).findFirst().orElseThrow();
    monitor.destroyForcibly();
    monitor.onExit().get(10, TimeUnit.SECONDS);
    assertTrue(cli.ok("ps", "-a").contains("Exited (255)"), "the next command finds the container's monitor gone");
    assertFalse(Files.exists(netns), "and tears its network down");
    assertEquals("", cli.ok("port", "web"));
  }

  /**
   * A shell loop fetching the page from {@code host}, bounded (10 tries) while the server starts;
   * with nc, as Debian's static busybox wget crashes.
   */
  private static String fetch(String host) {
    return "for i in 1 2 3 4 5 6 7 8 9 10; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + host + " 80 > /tmp/r"
        + " && grep -q '^HTTP/1.[01] 200' /tmp/r && sed '1,/^\\r$/d' /tmp/r && exit 0; sleep 0.3; done; exit 1";
  }

  private JsonNode inspect(String name) {
    return Json.readTree(cli.ok("inspect", name).getBytes(StandardCharsets.UTF_8), "inspect").get(0);
  }

  /** GET with up to 50 tries over about 5 s while the server starts. */
  private static String get(URI uri) throws Exception {
    IOException last = null;
    for (int i = 0; i < 50; i++) {
      try {
        return once(uri);
      } catch (IOException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }

  private static String once(URI uri) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      return r.body();
    }
  }

  private static List<String> veths() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "ip", "-o", "link", "show", "type", "veth")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out.lines().map(l -> l.split(":")[1].strip()).sorted().toList();
  }
}
