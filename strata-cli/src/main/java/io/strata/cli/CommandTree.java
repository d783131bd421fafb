package io.strata.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * strata's commands with docker's names and aliases ({@code images} = {@code image ls},
 * {@code rmi} = {@code image rm}, …). Only the invoked command's picocli model is built: picocli
 * builds a model per command and reads every option, which would otherwise be much of a short command.s
 * start-up. Help and unknown names get the whole tree.
 */
final class CommandTree {
  record Node(String name, List<String> aliases, Function<Session, CliCommand> command, List<Node> children) {
    static Node leaf(String name, Function<Session, CliCommand> command, String... aliases) {
      return new Node(name, List.of(aliases), command, List.of());
    }

    static Node group(String name, String description, Node... children) {
      return new Node(name, List.of(), s -> new GroupCommand(s, name, description), List.of(children));
    }

    boolean answersTo(String word) {
      return word != null && (name.equals(word) || aliases.contains(word));
    }
  }

  /** Container commands, both top-level ({@code strata run}) and under {@code strata container}. */
  private static final List<Node> CONTAINER = List.of(
      Node.leaf("create", CreateCommand::new),
      Node.leaf("run", RunCommand::new),
      Node.leaf("start", StartCommand::new),
      Node.leaf("stop", StopCommand::new),
      Node.leaf("kill", KillCommand::new),
      Node.leaf("logs", LogsCommand::new),
      Node.leaf("wait", WaitCommand::new),
      Node.leaf("exec", ExecCommand::new),
      Node.leaf("diff", DiffCommand::new),
      Node.leaf("commit", CommitCommand::new),
      Node.leaf("export", ContainerExportCommand::new),
      Node.leaf("cp", CpCommand::new),
      Node.leaf("restart", LifecycleCommands.Restart::new),
      Node.leaf("pause", LifecycleCommands.Pause::new),
      Node.leaf("unpause", LifecycleCommands.Unpause::new),
      Node.leaf("rename", LifecycleCommands.Rename::new),
      Node.leaf("top", LifecycleCommands.Top::new),
      Node.leaf("update", UpdateCommand::new),
      Node.leaf("stats", StatsCommand::new),
      Node.leaf("attach", AttachCommand::new));

  private static Node[] containerCommands(Node... more) {
    return Stream.concat(CONTAINER.stream(), Arrays.stream(more)).toArray(Node[]::new);
  }

  static final List<Node> ROOT = Stream.concat(CONTAINER.stream(), Stream.of(
      Node.leaf("rm", RmCommand::new),
      Node.leaf("images", ImagesCommand::new),
      Node.leaf("tag", TagCommand::new),
      Node.leaf("rmi", RmiCommand::new),
      Node.leaf("inspect", InspectCommand::new),
      Node.leaf("history", HistoryCommand::new),
      Node.leaf("import", ImportCommand::new),
      Node.leaf("save", SaveCommand::new),
      Node.leaf("load", LoadCommand::new),
      Node.leaf("version", VersionCommand::new),
      Node.leaf("info", InfoCommand::new),
      Node.leaf("ps", PsCommand::new),
      Node.leaf("build", BuildCommand::new),
      Node.leaf("pull", PullCommand::new),
      Node.leaf("push", PushCommand::new),
      Node.leaf("login", LoginCommand::new),
      Node.leaf("logout", LogoutCommand::new),
      Node.leaf("port", NetworkCommands.Port::new),
      Node.leaf("events", EventsCommand::new),
      Node.group("network", "Manage networks",
          Node.leaf("create", NetworkCommands.Create::new),
          Node.leaf("ls", NetworkCommands.Ls::new, "list"),
          Node.leaf("inspect", NetworkCommands.Inspect::new),
          Node.leaf("rm", NetworkCommands.Rm::new, "remove"),
          Node.leaf("prune", NetworkCommands.Prune::new),
          Node.leaf("connect", NetworkCommands.Connect::new),
          Node.leaf("disconnect", NetworkCommands.Disconnect::new)),
      Node.group("volume", "Manage volumes",
          Node.leaf("create", VolumeCommands.Create::new),
          Node.leaf("ls", VolumeCommands.Ls::new, "list"),
          Node.leaf("inspect", VolumeCommands.Inspect::new),
          Node.leaf("rm", VolumeCommands.Rm::new, "remove"),
          Node.leaf("prune", VolumeCommands.Prune::new)),
      Node.group("container", "Manage containers", containerCommands(
          Node.leaf("rm", RmCommand::new, "remove"),
          Node.leaf("ls", PsCommand::new, "ps", "list"),
          Node.leaf("inspect", InspectCommand::containers),
          Node.leaf("prune", LifecycleCommands.Prune::new),
          Node.leaf("restore", LifecycleCommands.Restore::new))),
      Node.group("image", "Manage images",
          Node.leaf("build", BuildCommand::new),
          Node.leaf("ls", ImagesCommand::new, "list"),
          Node.leaf("rm", RmiCommand::new, "remove"),
          Node.leaf("tag", TagCommand::new),
          Node.leaf("prune", PruneCommand::new),
          Node.leaf("inspect", InspectCommand::images),
          Node.leaf("history", HistoryCommand::new),
          Node.leaf("import", ImportCommand::new),
          Node.leaf("save", SaveCommand::new),
          Node.leaf("load", LoadCommand::new),
          Node.leaf("export", ExportCommand::new),
          Node.leaf("pull", PullCommand::new),
          Node.leaf("push", PushCommand::new)),
      Node.group("builder", "Manage builds",
          Node.leaf("prune", BuilderPruneCommand::new)),
      Node.group("system", "Manage strata",
          Node.leaf("df", DiskUsageCommand::new),
          Node.leaf("info", InfoCommand::new),
          Node.leaf("events", EventsCommand::new),
          Node.leaf("fsck", FsckCommand::new),
          Node.leaf("prune", SystemPruneCommand::new)),
      Node.group("registry", "Run an OCI distribution registry",
          Node.leaf("serve", RegistryServeCommand::new),
          Node.leaf("gc", RegistryGcCommand::new)))).toList();

  private CommandTree() {}

  /** The root command with the subcommands {@code args} can reach. */
  static CommandLine build(Session session, String... args) {
    CommandLine root = new CommandLine(new RootCommand(session).spec());
    addChildren(root, ROOT, session, words(args), 0);
    return root;
  }

  private static void addChildren(CommandLine parent, List<Node> nodes, Session session, List<String> words, int depth) {
    String word = depth < words.size() ? words.get(depth) : null;
    List<Node> chosen = nodes.stream().filter(n -> n.answersTo(word)).toList();
    for (Node node : chosen.isEmpty() ? nodes : chosen) {
      CliCommand command = node.command().apply(session);
      command.spec().name(node.name());
      CommandLine child = new CommandLine(command.spec());
      if (!node.children().isEmpty()) addChildren(child, node.children(), session, words, depth + 1);
      parent.addSubcommand(node.name(), child, node.aliases().toArray(String[]::new));
    }
  }

  /** The words that may name commands: positional arguments, skipping the global options' values. */
  private static List<String> words(String[] args) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length && words.size() < 2; i++) {
      String arg = args[i];
      if (arg.equals("--root") || arg.equals("--storage-driver") || arg.equals("--insecure-registry")) i++;
      else if (!arg.startsWith("-")) words.add(arg);
    }
    return words;
  }
}
