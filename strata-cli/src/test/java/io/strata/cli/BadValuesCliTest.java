package io.strata.cli;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Issue 13 part 5: every command, every value-taking flag and every positional, given each bad value
 * of a table, either refuses it with one line (plus Docker's "See 'strata X --help'." for a usage
 * error) and a non-zero exit, nothing on standard output and the store as it was, or accepts it as
 * Docker does; never a stack trace. The commands and their flags are read from {@link CommandTree}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadValuesCliTest {
  private static final String LONG = "x".repeat(10_000);
  static final List<String> BAD = List.of("99999999999999999999", "-1", "-99999999999999999999", "", "a\0b",
      "\uFFFD\uFFFD", "\uD800x", LONG, "../../../../etc/passwd", "%s%n{{", "{{.Nope");

  /** Network and registry commands (pull, push, login, serve) reach outside the host or the store: not here. */
  private static final Set<String> EXCLUDED = Set.of("pull", "push", "login", "logout", "image pull", "image push",
      "registry serve", "registry gc");
  /** Flags that name a file to write: only tested with values inside the temp dir. */
  private static final Set<String> OUTPUT_FLAGS = Set.of("--output", "--iidfile");
  /** Positionals that would write outside the temp dir given a bad value. */
  private static final Set<String> UNTESTED_POSITIONALS = Set.of("cp DEST");

  /**
   * What Docker takes as it is: free text (labels, messages, commands, names Docker's rules allow),
   * "" for "the default", -1 for "unlimited" or "all". ALL: any value. Any other value accepted fails.
   */
  private static final Map<String, Set<String>> ACCEPTED = Map.ofEntries(
      Map.entry("create --name", Set.of("99999999999999999999", "", LONG)),
      Map.entry("events --since", Set.of("")), // no --since, as Docker's empty flag value
      Map.entry("create --env", Set.of("ALL")), Map.entry("create --user", Set.of("ALL")),
      Map.entry("create --entrypoint", Set.of("ALL")), Map.entry("create --network-alias", Set.of("ALL")),
      Map.entry("create --health-cmd", Set.of("ALL")), Map.entry("create --group-add", Set.of("ALL")),
      Map.entry("create --label", Set.of("ALL")), Map.entry("create COMMAND", Set.of("ALL")),
      Map.entry("create --hostname", Set.of("ALL")), // checked by runc at start, as Docker's
      Map.entry("create --workdir", Set.of("")), Map.entry("create --network", Set.of("")),
      Map.entry("create --ip", Set.of("")), Map.entry("create --restart", Set.of("")),
      Map.entry("create --platform", Set.of("")), Map.entry("create --stop-signal", Set.of("-1", "")),
      Map.entry("create --memory-swap", Set.of("99999999999999999999", "-1")), Map.entry("create --pids-limit", Set.of("-1")),
      Map.entry("create --stop-timeout", Set.of("-1")),
      Map.entry("update --memory-swap", Set.of("99999999999999999999", "-1")), Map.entry("update --pids-limit", Set.of("-1")),
      Map.entry("update --restart", Set.of("")),
      Map.entry("logs --tail", Set.of("-1")), Map.entry("logs --since", Set.of("")), Map.entry("logs --until", Set.of("")),
      Map.entry("commit --message", Set.of("ALL")), Map.entry("commit --author", Set.of("ALL")),
      Map.entry("commit REPOSITORY[:TAG]", Set.of("99999999999999999999", "")),
      Map.entry("cp SRC", Set.of("../../../../etc/passwd")),
      Map.entry("rename NEW_NAME", Set.of("99999999999999999999", LONG)),
      Map.entry("images [REPOSITORY[:TAG]]", Set.of("ALL")), Map.entry("tag TARGET_IMAGE[:TAG]", Set.of("99999999999999999999")),
      Map.entry("import --message", Set.of("ALL")), Map.entry("import [REPOSITORY[:TAG]]", Set.of("99999999999999999999", "")),
      Map.entry("ps --last", Set.of("-1")),
      Map.entry("build --tag", Set.of("99999999999999999999")), Map.entry("build --build-arg", Set.of("ALL")),
      Map.entry("build --label", Set.of("ALL")), Map.entry("build --target", Set.of("")),
      Map.entry("build --timestamp", Set.of("-1", "")), Map.entry("build --network", Set.of("")),
      Map.entry("network create NETWORK", Set.of("99999999999999999999")), Map.entry("network connect --alias", Set.of("ALL")),
      Map.entry("volume create --driver", Set.of("")), Map.entry("volume create --label", Set.of("ALL")),
      Map.entry("volume create VOLUME", Set.of("99999999999999999999", "")),
      Map.entry("volume ls --filter name=", Set.of("ALL")), Map.entry("volume ls --filter label=", Set.of("ALL")),
      Map.entry("volume ls --filter driver=", Set.of("ALL")), Map.entry("volume prune --force --filter label=", Set.of("ALL")),
      Map.entry("images --filter reference=", Set.of("ALL")), Map.entry("images --filter label=", Set.of("ALL")),
      Map.entry("images --filter until=", Set.of("")), Map.entry("ps -a --filter exited=", Set.of("-1")),
      Map.entry("ps -a --filter name=", Set.of("ALL")), Map.entry("ps -a --filter id=", Set.of("ALL")),
      Map.entry("ps -a --filter ancestor=", Set.of("ALL")), Map.entry("ps -a --filter label=", Set.of("ALL")),
      Map.entry("ps -a --filter network=", Set.of("ALL")), Map.entry("ps -a --filter volume=", Set.of("ALL")));

  private static boolean acceptable(Case c) {
    if (c.slot().equals("--format")) return !c.value().contains("{{"); // text without actions prints itself
    if (OUTPUT_FLAGS.contains(c.slot())) return true; // a file inside the temp dir
    Set<String> values = ACCEPTED.getOrDefault(c.command() + " " + c.slot(), Set.of());
    return values.contains("ALL") || values.contains(c.value());
  }

  @TempDir static Path tmp;
  private InProcessCli cli;
  private String baseline;

  record Case(String command, String slot, String value, List<String> argv) {
    @Override
    public String toString() {
      String shown = value.length() > 40 ? value.substring(0, 20) + "…(" + value.length() + ")" : value;
      return command + " " + slot + " " + shown.replace("\0", "\\0");
    }
  }

  @BeforeAll
  void store() throws Exception {
    HostRequirements.containers();
    cli = new InProcessCli(tmp.resolve("store"));
    List<TarEntrySpec> entries = new ArrayList<>(List.of(dir("bin", 0755), dir("etc", 0755), dir("tmp", 01777),
        file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)));
    for (String a : List.of("sh", "true")) entries.add(symlink("busybox", "bin/" + a));
    Files.write(tmp.resolve("bb.tar"), TarFixture.of(entries).bytes());
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("a"), "hi\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY a /a\n");
    Files.writeString(tmp.resolve("in.txt"), "in\n");
    Files.createDirectories(tmp.resolve("out"));
    setUp();
    baseline = state();
  }

  private void setUp() {
    cli.ok("import", tmp.resolve("bb.tar").toString(), "bb:1");
    cli.ok("create", "--name", "c1", "--network", "none", "bb:1", "true");
    cli.ok("network", "create", "n1");
    cli.ok("volume", "create", "v1");
  }

  /** What a refused command must leave as it was. */
  private String state() {
    // names, not IDs: a reset store has new container and network IDs
    return cli.ok("images", "-a", "--format", "{{.Repository}}:{{.Tag}}")
        + cli.ok("ps", "-a", "--format", "{{.Names}} {{.Image}}")
        + cli.ok("network", "ls").lines().map(l -> l.split(" +")[1]).toList() + cli.ok("volume", "ls", "-q");
  }

  /** After a command that accepted a value and changed the store: back to the baseline. */
  private void reset() {
    for (String id : cli.ok("ps", "-a", "-q").lines().toList()) cli.ok("rm", "-f", id);
    for (String id : cli.ok("images", "-a", "-q").lines().distinct().toList()) cli.run("rmi", "-f", id);
    for (String v : cli.ok("volume", "ls", "-q").lines().toList()) cli.ok("volume", "rm", v);
    cli.run("network", "prune", "-f");
    setUp();
    assertEquals(baseline, state(), "reset");
  }

  Stream<Case> cases() {
    Session session = new Session(new Streams(System.in, System.out, System.err, false, false, Map.of()));
    Map<String, CliCommand> commands = new LinkedHashMap<>();
    Set<Class<?>> seen = new HashSet<>();
    collect(session, CommandTree.ROOT, "", commands, seen);
    List<Case> cases = new ArrayList<>();
    Set<String> createFlags = new HashSet<>();
    new CreateCommand(session).spec().options().forEach(o -> createFlags.add(o.longestName()));
    commands.forEach((path, command) -> {
      List<PositionalParamSpec> positionals = command.spec().positionalParameters();
      for (OptionSpec o : command.spec().options()) {
        if (o.usageHelp() || o.arity().max() == 0) continue;
        if (command instanceof RunCommand && createFlags.contains(o.longestName())) continue; // as create's
        for (String bad : BAD) {
          // an empty --until is no --until: events follows the journal until interrupted, as docker events does
          if (command instanceof EventsCommand && o.longestName().equals("--until") && bad.isEmpty()) continue;
          List<String> flag;
          if (OUTPUT_FLAGS.contains(o.longestName())) {
            if (bad.contains("..")) continue;
            flag = List.of(o.longestName(), bad.isEmpty() ? "" : "@TMP@/out/" + bad);
          } else {
            flag = o.arity().min() == 0 ? List.of(o.longestName() + "=" + bad) : List.of(o.longestName(), bad);
          }
          List<String> argv = new ArrayList<>(List.of(path.split(" ")));
          argv.addAll(extraFlags(command, o.longestName()));
          argv.addAll(flag);
          for (PositionalParamSpec p : positionals) argv.addAll(defaultValue(path, p));
          cases.add(new Case(path, o.longestName(), bad, argv));
        }
      }
      for (PositionalParamSpec slot : positionals) {
        if (UNTESTED_POSITIONALS.contains(path + " " + slot.paramLabel())) continue;
        for (String bad : BAD) {
          List<String> argv = new ArrayList<>(List.of(path.split(" ")));
          argv.addAll(extraFlags(command, ""));
          for (PositionalParamSpec p : positionals) argv.addAll(p == slot ? List.of(bad) : defaultValue(path, p));
          cases.add(new Case(path, slot.paramLabel(), bad, argv));
        }
      }
    });
    return cases.stream();
  }

  /** Filters whose keys are right and whose values are not: each command's own parsing of a value. */
  Stream<Case> filterCases() {
    Map<String, List<String>> keys = Map.of(
        "ps -a", List.of("exited", "name", "status", "before", "since", "id", "ancestor", "label", "health", "publish",
            "network", "volume", "is-task"),
        "images", List.of("dangling", "before", "since", "reference", "label", "until"),
        "volume ls", List.of("dangling", "name", "label", "driver"),
        "volume prune --force", List.of("label", "all"));
    List<Case> cases = new ArrayList<>();
    keys.forEach((command, names) -> {
      for (String key : names) {
        for (String bad : Stream.concat(BAD.stream(), Stream.of("[", "(?<", "maybe")).toList()) {
          List<String> argv = new ArrayList<>(List.of(command.split(" ")));
          argv.addAll(List.of("--filter", key + "=" + bad));
          cases.add(new Case(command, "--filter " + key + "=", bad, argv));
        }
      }
    });
    return cases.stream();
  }

  /** Each command class once, under its first (top-level) name. */
  private static void collect(Session session, List<CommandTree.Node> nodes, String prefix,
                              Map<String, CliCommand> into, Set<Class<?>> seen) {
    for (CommandTree.Node node : nodes) {
      String path = prefix + node.name();
      if (!node.children().isEmpty()) {
        collect(session, node.children(), path + " ", into, seen);
        continue;
      }
      CliCommand command = node.command().apply(session);
      if (EXCLUDED.contains(path) || !seen.add(command.getClass())) continue;
      into.put(path, command);
    }
  }

  /** Flags that keep a command from running containers with a network, waiting, or prompting. */
  private static List<String> extraFlags(CliCommand command, String tested) {
    List<String> extra = new ArrayList<>();
    if (command instanceof CreateCommand && !tested.equals("--network")) extra.addAll(List.of("--network", "none"));
    if (command instanceof RunCommand) extra.add("--rm");
    if (command instanceof StatsCommand) extra.add("--no-stream");
    if (command instanceof EventsCommand && !tested.equals("--until")) extra.addAll(List.of("--until", "0s")); // else it follows
    if (command.spec().name().equals("prune")) extra.add("--force"); // else a prompt, and filters never read
    return extra;
  }

  /** A good value for a positional, so that a bad flag value is what the command meets. */
  private static List<String> defaultValue(String path, PositionalParamSpec p) {
    String label = p.paramLabel();
    if (p.arity().min() == 0 && !(path.equals("cp") || label.equals("COMMAND"))) return List.of();
    return switch (label) {
      case "CONTAINER" -> List.of("c1");
      case "IMAGE", "SOURCE_IMAGE[:TAG]" -> List.of("bb:1");
      case "TARGET_IMAGE[:TAG]" -> List.of("bb:2");
      case "COMMAND" -> List.of("true");
      case "NETWORK" -> List.of("n1");
      case "VOLUME" -> List.of("v1");
      case "NEW_NAME" -> List.of("c2");
      case "PATH" -> List.of("@TMP@/ctx");
      case "FILE|-" -> List.of("@TMP@/bb.tar");
      case "SRC" -> List.of("@TMP@/in.txt");
      case "DEST" -> List.of("c1:/tmp");
      default -> throw new IllegalStateException("no good value for " + path + " " + label);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"cases", "filterCases"})
  void refusedWithOneLineOrAccepted(Case c) {
    String[] argv = c.argv().stream().map(a -> a.replace("@TMP@", tmp.toString())).toArray(String[]::new);
    InProcessCli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> cli.run(argv), c::toString);
    String all = r.out() + r.err();
    assertFalse(all.contains("Exception"), () -> c + ": " + r.err());
    assertFalse(all.contains("\tat "), () -> c + ": " + r.err());
    String after = state();
    if (r.code() == 0) {
      assertTrue(acceptable(c), () -> c + ": accepted, where Docker refuses it");
      if (!after.equals(baseline)) reset();
      return;
    }
    // Docker's inspect prints what it found, [] for nothing, before its error
    String expectedOut = c.command().endsWith("inspect") ? r.out().equals("[]\n") ? "[]\n" : "" : "";
    assertEquals(expectedOut, r.out(), () -> c + ": nothing on stdout");
    List<String> lines = r.err().lines().toList();
    if (lines.getFirst().startsWith("Dockerfile:")) lines = lines.subList(lines.size() - 1, lines.size()); // its excerpt, as BuildKit
    List<String> errLines = lines;
    assertTrue(lines.size() == 1 || lines.size() == 2 && r.code() == ExitCodes.USAGE
        && lines.get(1).matches("See 'strata .*--help'\\."), () -> c + ": " + r.err());
    assertFalse(errLines.getFirst().isBlank(), () -> c + ": " + r.err());
    if (!after.equals(baseline)) {
      reset();
      assertEquals(baseline, after, () -> c + ": a refused command changed the store");
    }
  }
}
