package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code events}: the journal every command and monitor appends to, read back with --since/--until/--filter/--format. */
class EventsCliTest {
  @TempDir Path tmp;
  private InProcessCli cli;
  private String imageId;

  @BeforeEach
  void image() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    Path tar = BusyboxRoot.tar(tmp, List.of("sh", "sleep", "true"));
    cli.ok("import", "-c", "CMD [\"sh\"]", tar.toString(), "bb:1");
    imageId = cli.ok("image", "inspect", "-f", "{{.Id}}", "bb:1").strip();
  }

  @AfterEach
  void removeAll() {
    if (cli == null) return;
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.run("rm", "-f", id);
  }

  private static String stamp(Instant t) {
    return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
  }

  @Test
  void aContainerRunIsJournaledInOrderWithItsAttributes() {
    String since = stamp(Instant.now());
    assertEquals(3, cli.run("run", "--rm", "--name", "web", "-l", "tier=front", "--network", "none", "bb:1", "sh", "-c", "exit 3").code());
    String until = stamp(Instant.now());
    String id = "[0-9a-f]{64}";

    assertEquals("create web \nattach web \nstart web \ndie web 3\ndestroy web \n", cli.ok("events", "--since", since, "--until", until,
        "--filter", "type=container", "--format", "{{.Action}} {{.Actor.Attributes.name}} {{index .Actor.Attributes \"exitCode\"}}"));

    List<String> lines = cli.ok("events", "--since", since, "--until", until, "--filter", "event=die").lines().toList();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.getFirst().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}(Z|[+-]\\d\\d:\\d\\d) container die " + id
        + " \\(exitCode=3, image=bb:1, name=web, tier=front\\)"), "Docker's line: " + lines.getFirst());

    String json = cli.ok("events", "--since", since, "--until", until, "--filter", "event=die", "--format", "{{json .}}").strip();
    assertTrue(json.matches("\\{\"status\":\"die\",\"id\":\"" + id + "\",\"from\":\"bb:1\",\"Type\":\"container\",\"Action\":\"die\","
        + "\"Actor\":\\{\"ID\":\"" + id + "\",\"Attributes\":\\{\"exitCode\":\"3\",\"image\":\"bb:1\",\"name\":\"web\",\"tier\":\"front\"}},"
        + "\"scope\":\"local\",\"time\":\\d{10},\"timeNano\":\\d{19}}"), json);
    assertEquals(json, cli.ok("events", "--since", since, "--until", until, "--filter", "event=die", "--format", "json").strip());
  }

  @Test
  void filtersAsDocker() {
    String since = stamp(Instant.now());
    cli.ok("run", "--name", "ca", "-l", "tier=front", "--network", "none", "bb:1", "true");
    cli.ok("run", "--name", "cb", "--network", "none", "bb:1", "true");
    cli.ok("tag", "bb:1", "other:2");
    String until = stamp(Instant.now());
    String[] window = {"events", "--since", since, "--until", until, "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}"};

    assertEquals("container start cb\n", events(window, "--filter", "container=cb", "--filter", "event=start"));
    assertEquals("container start ca\ncontainer start cb\n", events(window, "--filter", "event=start", "--filter", "image=bb"),
        "an image filter matches a container's image, with or without its tag");
    assertEquals("container die ca\n", events(window, "--filter", "label=tier=front", "--filter", "event=die"));
    assertEquals("container die ca\ncontainer die cb\n", events(window, "--filter", "event=die", "--filter", "container=ca",
        "--filter", "container=cb"), "values of one key are alternatives");
    assertEquals("image tag other:2\n", events(window, "--filter", "type=image"));
    assertEquals("image tag other:2\n", events(window, "--filter", "image=other:2"));
    assertEquals("", events(window, "--filter", "type=network"));

    InProcessCli.Result bad = cli.run("events", "--until", until, "--filter", "colour=red");
    assertEquals("Error: invalid filter 'colour'\n", bad.err());
    assertTrue(bad.code() != 0);
    InProcessCli.Result badTime = cli.run("events", "--since", "yesterday-ish");
    assertTrue(badTime.code() != 0 && badTime.err().contains("failed to parse value as time or duration"), badTime.err());
    InProcessCli.Result reversed = cli.run("events", "--since", until, "--until", since);
    assertTrue(reversed.code() != 0 && reversed.err().contains("cannot be after `until` time"), reversed.err());
  }

  private String events(String[] window, String... filters) {
    List<String> args = new ArrayList<>(List.of(window));
    args.addAll(List.of(filters));
    return cli.ok(args.toArray(String[]::new));
  }

  @Test
  void lifecycleCommandsExecNetworksAndVolumes() {
    String since = stamp(Instant.now());
    cli.ok("volume", "create", "data");
    cli.ok("network", "create", "evnet");
    cli.ok("run", "-d", "--name", "svc", "--network", "none", "bb:1", "sleep", "300");
    cli.ok("pause", "svc");
    cli.ok("unpause", "svc");
    cli.ok("exec", "svc", "true");
    cli.ok("rename", "svc", "svc2");
    cli.ok("stop", "-t", "0", "svc2");
    cli.ok("rm", "svc2");
    cli.ok("network", "rm", "evnet");
    cli.ok("volume", "rm", "data");
    String until = stamp(Instant.now());

    String format = "{{.Type}} {{.Action}} {{with .Actor.Attributes}}{{index . \"name\"}} {{index . \"signal\"}}{{index . \"exitCode\"}}"
        + "{{index . \"oldName\"}}{{index . \"driver\"}}{{index . \"type\"}}{{end}}";
    String shown = cli.ok("events", "--since", since, "--until", until, "--format", format);
    assertEquals("volume create data\nvolume destroy data\n", cli.ok("events", "--since", since, "--until", until,
        "--filter", "volume=da", "--format", "{{.Type}} {{.Action}} {{.Actor.ID}}"), "a volume is named by its ID");
    assertEquals("""
        volume create  local
        network create evnet bridge
        container create svc\s
        container start svc\s
        container pause svc\s
        container unpause svc\s
        container exec_create: true svc\s
        container exec_start: true svc\s
        container exec_die svc 0
        container rename svc2 /svc
        container kill svc2 15
        container kill svc2 9
        container die svc2 137
        container stop svc2\s
        container destroy svc2\s
        network destroy evnet bridge
        volume destroy  local
        """, shown, "a sleeping PID 1 ignores SIGTERM: stop -t 0 kills it");
    assertEquals("container exec_create: true\ncontainer exec_start: true\n", cli.ok("events", "--since", since, "--until", until,
        "--filter", "event=exec_create", "--filter", "event=exec_start", "--format", "{{.Type}} {{.Action}}"),
        "exec_create and exec_start match the actions that name the command too");
  }

  /** With --until in the future the command follows the journal until then, and stops. */
  @Test
  void healthStatusChangesFollowedUntilAFutureTime() {
    String since = stamp(Instant.now());
    cli.ok("run", "-d", "--name", "probed", "--network", "none", "--health-cmd", "true", "--health-interval", "200ms",
        "bb:1", "sleep", "300");
    Instant until = Instant.now().plusSeconds(3); // it runs: the first probe is due in 200 ms
    long t0 = System.nanoTime();
    String shown = cli.ok("events", "--since", since, "--until", stamp(until), "--filter", "event=health_status",
        "--format", "{{.Action}} {{.Actor.Attributes.name}}");
    assertTrue(Instant.now().isAfter(until), "it followed until --until");
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "and then stopped");
    assertEquals("health_status: healthy probed\n", shown, "only a change of status is an event");
  }

  @Test
  void tagUntagAndDeleteOfImages() {
    String since = stamp(Instant.now());
    cli.ok("tag", "bb:1", "copy:1");
    cli.ok("rmi", "copy:1");
    cli.ok("rmi", "bb:1");
    String until = stamp(Instant.now());
    assertEquals("tag " + imageId + " copy:1\n"
            + "untag " + imageId + " " + imageId + "\n"
            + "untag " + imageId + " " + imageId + "\n"
            + "delete " + imageId + " " + imageId + "\n",
        cli.ok("events", "--since", since, "--until", until, "--filter", "type=image", "--format",
            "{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}}"));
  }

  @Test
  void aFailedCommandLeavesNoEvent() {
    cli.ok("create", "--name", "taken", "--network", "none", "bb:1", "true");
    String since = stamp(Instant.now());
    assertTrue(cli.run("create", "--name", "taken", "--network", "none", "bb:1", "true").code() != 0);
    assertTrue(cli.run("tag", "no-such-image:1", "x:1").code() != 0);
    assertEquals("", cli.ok("events", "--since", since, "--until", stamp(Instant.now())), "a transaction rolled back journals nothing");
  }

  /**
   * A follower sees events as they are appended; a foreground run killed with SIGKILL (its own
   * monitor gone) leaves a journal the next command appends the container's die to.
   */
  @Test
  void aFollowerSeesAKilledRunAndTheJournalStaysWhole() throws Exception {
    Process follower = new ProcessBuilder(strata("events", "--filter", "container=victim", "--format",
        "{{.Action}} {{index .Actor.Attributes \"exitCode\"}}")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Process run = null;
    try {
      BlockingQueue<String> seen = lines(follower);
      Thread.sleep(1500); // the follower has read the journal's end: it shows only what comes next
      run = new ProcessBuilder(strata("run", "--name", "victim", "--network", "none", "bb:1", "sleep", "60"))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertEquals("create", next(seen));
      assertEquals("attach", next(seen));
      assertEquals("start", next(seen));
      Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(run.pid())).start();
      assertEquals(0, kill.waitFor());
      run.waitFor(10, TimeUnit.SECONDS);
      cli.ok("ps", "-a"); // the next command finds the monitor gone
      assertEquals("die 255", next(seen));
      cli.ok("rm", "victim");
      assertEquals("destroy", next(seen));
      cli.ok("system", "fsck"); // the store, the journal with it, is consistent
      String since = stamp(Instant.now().minusSeconds(120));
      assertEquals("create\nattach\nstart\ndie\ndestroy\n", cli.ok("events", "--since", since, "--until", stamp(Instant.now()),
          "--filter", "container=victim", "--format", "{{.Action}}"));
    } finally {
      follower.destroyForcibly();
      if (run != null) run.destroyForcibly();
    }
  }

  private static BlockingQueue<String> lines(Process p) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) q.add(l.strip());
      } catch (java.io.IOException e) {
        // the follower was stopped
      }
    });
    return q;
  }

  private static String next(BlockingQueue<String> q) throws InterruptedException {
    String l = q.poll(30, TimeUnit.SECONDS);
    assertTrue(l != null, "no event within 30 s");
    return l;
  }

  private List<String> strata(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--root", tmp.resolve("store").toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
