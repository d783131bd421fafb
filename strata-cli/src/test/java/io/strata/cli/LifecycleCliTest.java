package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Json;
import io.strata.testkit.HostRequirements;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle as Docker users drive it: signals reach a foreground container (Ctrl-C on
 * {@code run --rm} leaves nothing), restart policies with their counts and a user's stop winning,
 * pause, rename, top, restart and container prune.
 */
class LifecycleCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "sleep", "echo", "cat", "true", "test", "touch"));
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  @Test
  void sigintReachesAForegroundContainerAndRunRmLeavesNothing() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--root", tmp.resolve("store").toString(), "run", "--rm", "--network", "none", "bb:1", "sh", "-c",
        "trap 'echo got INT; exit 3' INT; echo ready; while true; do sleep 0.1; done"));
    Path err = tmp.resolve("strata.err");
    Process strata = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(strata.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("ready", out.readLine(), () -> "strata failed: " + read(err));
      new ProcessBuilder("kill", "-INT", Long.toString(strata.pid())).start().waitFor(10, TimeUnit.SECONDS);
      assertEquals("got INT", out.readLine(), "strata passed SIGINT on to the container");
      assertTrue(strata.waitFor(30, TimeUnit.SECONDS));
    } finally {
      strata.destroyForcibly();
    }
    assertEquals(3, strata.exitValue(), "the container's status is strata's");
    assertEquals("", cli.ok("ps", "-a", "-q"), "--rm removed it");
  }

  @Test
  void onFailureRestartsAtMostNTimes() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("h"));
    cli.ok("run", "-d", "--name", "flaky", "--network", "none", "--restart", "on-failure:2", "-v", host + ":/h", "bb:1",
        "sh", "-c", "echo start >> /h/starts; exit 3");
    JsonNode done = await("flaky", s -> s.at("/State/Status").asText().equals("exited") && s.path("RestartCount").asInt() == 2);
    assertEquals(3, done.at("/State/ExitCode").asInt());
    assertEquals("on-failure", done.at("/HostConfig/RestartPolicy/Name").asText());
    assertEquals(2, done.at("/HostConfig/RestartPolicy/MaximumRetryCount").asInt());
    assertEquals(3, Files.readAllLines(host.resolve("starts")).size(), "the first start and two restarts");
    Thread.sleep(500);
    assertEquals(3, Files.readAllLines(host.resolve("starts")).size(), "and no more");
  }

  @Test
  void alwaysRestartsUntilTheUserStopsIt() throws Exception {
    cli.ok("run", "-d", "--name", "loop", "--network", "none", "--restart", "always", "bb:1", "sh", "-c", "sleep 0.2");
    await("loop", s -> s.path("RestartCount").asInt() >= 2);
    cli.ok("stop", "-t", "1", "loop");
    JsonNode stopped = inspect("loop");
    assertEquals("exited", stopped.at("/State/Status").asText());
    int count = stopped.path("RestartCount").asInt();
    Thread.sleep(700);
    assertEquals("exited", inspect("loop").at("/State/Status").asText(), "a stopped container stays stopped");
    assertEquals(count, inspect("loop").path("RestartCount").asInt());
    cli.ok("start", "loop");
    assertEquals(0, inspect("loop").path("RestartCount").asInt(), "a start by the user counts from 0");

    InProcessCli.Result conflict = cli.run("run", "--rm", "--restart", "always", "bb:1", "true");
    assertEquals(125, conflict.code());
    assertEquals("Error: Conflicting options: --restart and --rm\n", conflict.err());
    assertEquals(125, cli.run("run", "--restart", "sometimes", "bb:1", "true").code());
  }

  @Test
  void pauseRenameTopRestartAndPrune() throws Exception {
    cli.ok("run", "-d", "--name", "web", "--network", "none", "bb:1", "sleep", "300");
    assertEquals("web\n", cli.ok("pause", "web"));
    assertTrue(cli.ok("ps").contains("(Paused)"));
    assertEquals(1, cli.run("pause", "web").code(), "already paused");
    assertEquals("web\n", cli.ok("unpause", "web"));
    assertFalse(cli.ok("ps").contains("(Paused)"));

    List<String> top = cli.ok("top", "web").lines().toList();
    assertTrue(top.getFirst().matches("UID\\s+PID\\s+PPID\\s+C\\s+STIME\\s+TTY\\s+TIME\\s+CMD"), top.getFirst());
    assertEquals(2, top.size(), String.join("\n", top));
    assertTrue(top.get(1).endsWith("sleep 300"), top.get(1));

    cli.ok("rename", "web", "web2");
    assertTrue(cli.ok("ps").contains(" web2\n"));
    InProcessCli.Result old = cli.run("inspect", "web");
    assertEquals(1, old.code());

    String firstStart = inspect("web2").at("/State/StartedAt").asText();
    assertEquals("web2\n", cli.ok("restart", "-t", "1", "web2"));
    JsonNode restarted = inspect("web2");
    assertEquals("running", restarted.at("/State/Status").asText());
    assertFalse(firstStart.equals(restarted.at("/State/StartedAt").asText()));

    cli.ok("create", "--name", "idle", "bb:1", "true");
    String pruned = cli.ok("container", "prune", "-f");
    assertTrue(pruned.startsWith("Deleted Containers:\n" + inspectId("idle")), pruned);
    assertEquals(1, cli.ok("ps", "-a", "-q").lines().count(), "the running one stays");
  }

  @Test
  void aHealthcheckRunsWhileTheContainerRuns() throws Exception {
    cli.ok("run", "-d", "--name", "svc", "--network", "none", "--health-cmd", "echo probing; test -f /tmp/ok",
        "--health-interval", "200ms", "--health-retries", "2", "bb:1", "sleep", "300");
    JsonNode unhealthy = await("svc", s -> s.at("/State/Health/Status").asText().equals("unhealthy"));
    assertTrue(unhealthy.at("/State/Health/FailingStreak").asInt() >= 2);
    JsonNode last = unhealthy.at("/State/Health/Log").get(unhealthy.at("/State/Health/Log").size() - 1);
    assertEquals(1, last.path("ExitCode").asInt());
    assertEquals("probing\n", last.path("Output").asText());
    assertTrue(cli.ok("ps").contains("(unhealthy)"));
    assertEquals("CMD-SHELL", inspect("svc").at("/Config/Healthcheck/Test/0").asText());
    assertEquals(200_000_000L, inspect("svc").at("/Config/Healthcheck/Interval").asLong());

    cli.ok("exec", "svc", "touch", "/tmp/ok");
    JsonNode healthy = await("svc", s -> s.at("/State/Health/Status").asText().equals("healthy"));
    assertEquals(0, healthy.at("/State/Health/FailingStreak").asInt());
    assertTrue(healthy.at("/State/Health/Log").size() <= 5, "the last five probes are kept");
    assertTrue(cli.ok("ps").contains("(healthy)"));

    InProcessCli.Result conflict = cli.run("run", "--health-cmd", "true", "--no-healthcheck", "bb:1", "true");
    assertEquals(125, conflict.code());
    assertEquals("Error: --no-healthcheck conflicts with --health-* options\n", conflict.err());

    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM bb:1\nHEALTHCHECK --interval=100ms CMD true\n");
    cli.ok("build", "-q", "--network", "none", "-t", "checked:1", ctx.toString());
    cli.ok("run", "-d", "--name", "imaged", "--network", "none", "checked:1", "sleep", "300");
    await("imaged", s -> s.at("/State/Health/Status").asText().equals("healthy"));
    cli.ok("run", "-d", "--name", "quiet", "--network", "none", "--no-healthcheck", "checked:1", "sleep", "300");
    Thread.sleep(400);
    assertTrue(inspect("quiet").at("/State/Health").isMissingNode(), "--no-healthcheck: no probes");
    assertEquals("NONE", inspect("quiet").at("/Config/Healthcheck/Test/0").asText());
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private String inspectId(String name) {
    try {
      return inspect(name).path("Id").asText();
    } catch (AssertionError gone) {
      return "";
    }
  }

  private JsonNode inspect(String name) {
    return Json.readTree(cli.ok("inspect", name).getBytes(StandardCharsets.UTF_8), "inspect").get(0);
  }

  /** Polls inspect until {@code done}: at most 200 times over about 20 s. */
  private JsonNode await(String name, Predicate<JsonNode> done) throws InterruptedException {
    JsonNode last = null;
    for (int i = 0; i < 200; i++) {
      last = inspect(name);
      if (done.test(last)) return last;
      Thread.sleep(100);
    }
    throw new AssertionError("not reached; last state " + last.path("State") + " restarts " + last.path("RestartCount"));
  }
}
