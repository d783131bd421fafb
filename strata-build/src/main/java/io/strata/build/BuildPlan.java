package io.strata.build;

import io.strata.build.parser.Dockerfile;
import io.strata.build.parser.Node;
import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The stages of a Dockerfile and which of them the target needs, in an order where every stage
 * comes after those it copies from or builds on. The ARGs before the first FROM are the global
 * ones, usable in FROM lines only.
 */
record BuildPlan(List<Node> globalArgs, List<Stage> stages, List<Stage> order, Stage target) {

  static BuildPlan of(Dockerfile file, String targetName) {
    List<Node> globals = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    Node from = null;
    List<Node> body = new ArrayList<>();
    for (Node n : file.instructions()) {
      if (n.keyword().equals("from")) {
        if (from != null) stages.add(stage(stages.size(), from, body));
        from = n;
        body = new ArrayList<>();
      } else if (from == null) {
        if (!n.keyword().equals("arg")) {
          throw new InvalidArgumentException("Dockerfile:" + n.startLine() + ": no build stage in current context");
        }
        globals.add(n);
      } else {
        body.add(n);
      }
    }
    if (from == null) throw new InvalidArgumentException("Dockerfile: no FROM instruction");
    stages.add(stage(stages.size(), from, body));
    Stage target = stages.getLast();
    if (targetName != null && !targetName.isEmpty()) {
      target = stages.stream().filter(s -> s.name() != null && s.name().equalsIgnoreCase(targetName)).findFirst()
          .orElseThrow(() -> new InvalidArgumentException("failed to reach build target " + targetName + " in Dockerfile"));
    }
    Set<Stage> order = new LinkedHashSet<>();
    visit(target, stages, order, new LinkedHashSet<>());
    return new BuildPlan(globals, stages, List.copyOf(order), target);
  }

  private static Stage stage(int index, Node from, List<Node> body) {
    List<String> args = from.args();
    String name = null;
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      name = args.get(2).toLowerCase(Locale.ROOT);
      if (!name.matches("[a-z][a-z0-9-_.]*")) {
        throw new InvalidArgumentException("Dockerfile:" + from.startLine() + ": invalid name for build stage: \""
            + args.get(2) + "\", name can't start with a number or contain symbols");
      }
    } else if (args.size() != 1) {
      throw new InvalidArgumentException("Dockerfile:" + from.startLine() + ": FROM requires either one or three arguments");
    }
    return new Stage(index, name, from, List.copyOf(body));
  }

  /** Depth-first over the stages {@code s} builds on or copies from; a stage met again on the path is a cycle. */
  private static void visit(Stage s, List<Stage> all, Set<Stage> done, Set<Stage> path) {
    if (done.contains(s)) return;
    if (!path.add(s)) {
      throw new InvalidArgumentException("Dockerfile:" + s.from().startLine() + ": circular dependency detected on stage: "
          + (s.name() == null ? s.index() : s.name()));
    }
    for (String ref : references(s)) {
      for (Stage other : all) {
        if (other.answersTo(ref) && other != s) {
          visit(other, all, done, path);
        } else if (other == s && other.answersTo(ref)) {
          throw new InvalidArgumentException("Dockerfile:" + s.from().startLine() + ": circular dependency detected on stage: " + ref);
        }
      }
    }
    path.remove(s);
    done.add(s);
  }

  /** The planned stages {@code s} builds on or copies from: they must be built before it. */
  List<Stage> dependencies(Stage s) {
    List<String> refs = references(s);
    return order.stream().filter(o -> o != s && refs.stream().anyMatch(o::answersTo)).toList();
  }

  /** The stage names its FROM, its {@code COPY --from} and its {@code RUN --mount=from=} name. */
  static List<String> references(Stage s) {
    List<String> refs = new ArrayList<>();
    refs.add(s.from().args().getFirst().toLowerCase(Locale.ROOT));
    for (Node n : s.body()) {
      for (String f : n.flags()) {
        if (f.startsWith("--from=") && (n.keyword().equals("copy") || n.keyword().equals("add"))) {
          refs.add(f.substring("--from=".length()).toLowerCase(Locale.ROOT));
        }
        if (f.startsWith("--mount=") && n.keyword().equals("run")) { // RUN --mount=from=stage,...
          for (String field : f.substring("--mount=".length()).split(",")) {
            if (field.toLowerCase(Locale.ROOT).startsWith("from=")) refs.add(field.substring(5).toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return refs;
  }
}
