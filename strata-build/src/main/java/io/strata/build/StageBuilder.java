package io.strata.build;

import io.strata.build.parser.DockerfileParser;
import io.strata.build.parser.Node;
import io.strata.build.shell.ShellLexer;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.image.ImageAssembly;
import io.strata.layer.InRoot;
import io.strata.oci.ContainerConfig;
import io.strata.oci.Digest;
import io.strata.oci.Healthcheck;
import io.strata.oci.Json;
import io.strata.runtime.BuildSteps;
import io.strata.runtime.ExecFailure;
import io.strata.runtime.spec.ContainerSettings;
import io.strata.runtime.spec.NetworkMode;
import io.strata.runtime.spec.UserResolver;
import io.strata.snapshot.Change;
import io.strata.store.LayerRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs the instructions of one stage on a {@link StageState}: metadata instructions edit the
 * config and add an {@code empty_layer} history entry; RUN, COPY, ADD (and a WORKDIR that must
 * create its directory) make a layer, or take it from the layer cache when the step's key is there.
 * History texts are BuildKit's.
 */
final class StageBuilder {
  private final Builder.Env env;
  private final Function<String, StageState> stages; // finished stages by name or index, for COPY --from

  StageBuilder(Builder.Env env, Function<String, StageState> stages) {
    this.env = env;
    this.stages = stages;
  }

  void execute(StageState s, Node n) {
    switch (n.keyword()) {
      case "arg" -> arg(s, n);
      case "env" -> keyValues(s, n, true);
      case "label" -> keyValues(s, n, false);
      case "run" -> run(s, n);
      case "copy" -> copy(s, n, false);
      case "add" -> copy(s, n, true);
      case "workdir" -> workdir(s, n);
      case "user" -> meta(s, n, c -> c.withUser(word(s, one(n))), "USER " + word(s, one(n)));
      case "cmd" -> meta(s, n, c -> c.withCmd(command(s, n)).withArgsEscaped(true), "CMD " + GoText.quotedList(command(s, n)));
      case "entrypoint" -> meta(s, n, c -> c.withEntrypoint(command(s, n)), "ENTRYPOINT " + GoText.quotedList(command(s, n)));
      case "shell" -> meta(s, n, c -> c.withShell(jsonOnly(n)), "SHELL [" + String.join(" ", jsonOnly(n)) + "]");
      case "expose" -> expose(s, n);
      case "volume" -> volume(s, n);
      case "stopsignal" -> meta(s, n, c -> c.withStopSignal(word(s, one(n))), "STOPSIGNAL " + word(s, one(n)));
      case "maintainer" -> {
        s.config = s.config.withAuthor(one(n));
        s.history("MAINTAINER " + one(n));
      }
      case "onbuild" -> {
        String trigger = n.original().replaceFirst("(?i)^\\s*onbuild\\s+", "");
        List<String> triggers = new ArrayList<>(s.runtime().onBuild() == null ? List.of() : s.runtime().onBuild());
        triggers.add(trigger);
        s.setRuntime(s.runtime().withOnBuild(triggers)); // BuildKit writes no history entry for ONBUILD
        s.cacheKey = BuildCache.key(s.cacheKey, "ONBUILD " + trigger);
      }
      case "healthcheck" -> healthcheck(s, n);
      case "from" -> throw error(n, "FROM inside a stage");
      default -> throw error(n, "unknown instruction: " + n.keyword().toUpperCase(Locale.ROOT));
    }
  }

  // ---- metadata

  private void meta(StageState s, Node n, Function<ContainerConfig, ContainerConfig> edit, String createdBy) {
    s.setRuntime(edit.apply(s.runtime()));
    s.cacheKey = BuildCache.key(s.cacheKey, createdBy);
    s.history(createdBy);
  }

  private void arg(StageState s, Node n) {
    for (String a : n.args()) {
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      String value = env.buildArgs().containsKey(name) ? env.buildArgs().get(name)
          : eq < 0 ? env.globalArgs().get(name) : word(s, a.substring(eq + 1));
      if (value != null) s.args.put(name, value);
      else s.args.remove(name);
      s.declaredArgs.add(name);
      env.usedArgs().add(name);
    }
    s.cacheKey = BuildCache.key(s.cacheKey, "ARG", Json.mapper().valueToTree(s.args).toString());
    s.history("ARG " + String.join(" ", n.args()));
  }

  private void keyValues(StageState s, Node n, boolean isEnv) {
    List<String> a = n.args();
    Map<String, String> labels = new LinkedHashMap<>(s.runtime().labels() == null ? Map.of() : s.runtime().labels());
    StringBuilder text = new StringBuilder(isEnv ? "ENV" : "LABEL");
    for (int i = 0; i + 1 < a.size(); i += 3) {
      String key = word(s, a.get(i));
      String value = word(s, a.get(i + 1));
      if (isEnv) s.setEnv(key, value);
      else labels.put(key, value);
      text.append(' ').append(key).append('=').append(value);
    }
    if (!isEnv) s.setRuntime(s.runtime().withLabels(labels));
    s.cacheKey = BuildCache.key(s.cacheKey, text.toString());
    s.history(text.toString());
  }

  private void expose(StageState s, Node n) {
    Map<String, Map<String, Object>> ports = new TreeMap<>(s.runtime().exposedPorts() == null ? Map.of() : s.runtime().exposedPorts());
    for (String p : n.args()) {
      for (String w : env.lexer().processWords(p, s::lookup)) {
        String port = w.contains("/") ? w.toLowerCase(Locale.ROOT) : w + "/tcp";
        ports.put(port, Map.of());
      }
    }
    StringBuilder text = new StringBuilder("EXPOSE map[");
    ports.keySet().forEach(k -> text.append(k).append(":{} "));
    String createdBy = text.toString().strip() + "]";
    meta(s, n, c -> c.withExposedPorts(ports), createdBy);
  }

  private void volume(StageState s, Node n) {
    Map<String, Map<String, Object>> vols = new TreeMap<>(s.runtime().volumes() == null ? Map.of() : s.runtime().volumes());
    List<String> added = new ArrayList<>();
    for (String v : n.args()) {
      String path = word(s, v);
      if (path.isEmpty()) throw error(n, "VOLUME specified can not be an empty string");
      vols.put(path, Map.of());
      added.add(path);
    }
    meta(s, n, c -> c.withVolumes(vols), "VOLUME " + "[" + String.join(" ", added) + "]");
  }

  private void healthcheck(StageState s, Node n) {
    List<String> a = n.args();
    if (a.isEmpty()) throw error(n, "HEALTHCHECK requires an argument");
    String kind = a.getFirst().toUpperCase(Locale.ROOT);
    Healthcheck h;
    if (kind.equals("NONE")) {
      h = new Healthcheck(List.of("NONE"), null, null, null, null, null);
    } else if (kind.equals("CMD")) {
      List<String> cmd = new ArrayList<>();
      boolean json = isJson(n, a.subList(1, a.size()));
      if (json) {
        cmd.add("CMD");
        cmd.addAll(a.subList(1, a.size()));
      } else {
        cmd.add("CMD-SHELL");
        cmd.add(String.join(" ", a.subList(1, a.size())));
      }
      h = new Healthcheck(cmd, duration(n, "--interval"), duration(n, "--timeout"), duration(n, "--start-period"),
          duration(n, "--start-interval"), flag(n, "--retries").map(Integer::valueOf).orElse(null));
    } else {
      throw error(n, "Unknown type \"" + a.getFirst() + "\" in HEALTHCHECK (try CMD)");
    }
    meta(s, n, c -> c.withHealthcheck(h), "HEALTHCHECK " + GoText.healthcheck(h));
  }

  private static Long duration(Node n, String name) {
    return flag(n, name).map(v -> {
      Duration d = io.strata.oci.GoDuration.parse(v);
      if (d == null) throw error(n, "invalid duration " + v + " for " + name);
      return d.toNanos();
    }).orElse(null);
  }

  private void workdir(StageState s, Node n) {
    String dir = word(s, one(n));
    String cwd = s.runtime().workingDir() == null || s.runtime().workingDir().isEmpty() ? "/" : s.runtime().workingDir();
    String abs = dir.startsWith("/") ? dir : (cwd.endsWith("/") ? cwd : cwd + "/") + dir;
    s.setRuntime(s.runtime().withWorkingDir(abs));
    String createdBy = "WORKDIR " + abs;
    // the directory is made as a layer when the image lacks it (BuildKit's mkdir), else metadata only
    String key = BuildCache.key(s.cacheKey, createdBy);
    s.cacheKey = key;
    layerStep(s, n, key, createdBy, root -> {
      try {
        Path p = InRoot.resolve(root, abs);
        if (!Files.isDirectory(p)) Files.createDirectories(p);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, true);
  }

  // ---- RUN

  private void run(StageState s, Node n) {
    List<String> args = command(s, n);
    boolean json = isJson(n, n.args());
    List<String> argv = json ? args : withShell(s.shell(), heredocScript(n));
    String network = flag(n, "--network").orElse(env.network());
    if (!java.util.Set.of("default", "none", "host").contains(network)) throw error(n, "invalid --network=" + network + ": want default, none or host");
    if (network.equals("host") && flag(n, "--network").isPresent() && !env.allowHostNetwork()) {
      throw error(n, "--network=host needs the network.host entitlement: build with --allow network.host");
    }
    // BuildKit's text: the build args in scope as "|N k=v …" before the command
    List<String> argPairs = s.declaredArgs.stream().map(a -> a + "=" + s.args.getOrDefault(a, "")).toList();
    String createdBy = "RUN " + (argPairs.isEmpty() ? "" : "|" + argPairs.size() + " " + String.join(" ", argPairs) + " ")
        + String.join(" ", argv) + " # buildkit";
    Map<String, String> runEnv = new LinkedHashMap<>();
    s.args.forEach((k, v) -> runEnv.put(k, v));
    for (String e : s.runtime().env() == null ? List.<String>of() : s.runtime().env()) {
      int eq = e.indexOf('=');
      runEnv.put(e.substring(0, eq), e.substring(eq + 1));
    }
    List<String> envList = runEnv.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    String cwd = s.runtime().workingDir() == null || s.runtime().workingDir().isEmpty() ? "/" : s.runtime().workingDir();
    if (!flag(n, "--security").orElse("sandbox").equals("sandbox")) {
      throw error(n, "--security=" + flag(n, "--security").get() + " needs the security.insecure entitlement, which strata does not grant");
    }
    List<RunMount> mounts = new ArrayList<>();
    for (String f : n.flags()) {
      if (!f.startsWith("--mount=")) continue;
      try {
        mounts.add(RunMount.parse(word(s, f.substring("--mount=".length())), cwd));
      } catch (InvalidArgumentException e) {
        throw error(n, "--mount: " + e.getMessage());
      }
    }
    String key = mounts.isEmpty() ? BuildCache.key(s.cacheKey, createdBy, String.join("\n", envList), network)
        : BuildCache.key(s.cacheKey, createdBy, String.join("\n", envList), network, RunMounts.cacheKey(mounts, env, stages, n.startLine()));
    s.cacheKey = key;
    layerStep(s, n, key, createdBy, null, false, stepKey -> {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      var out = s.step.output(captured);
      int status;
      try (RunMounts m = RunMounts.open(mounts, stepKey, env, stages, n.startLine())) {
        List<String> stepEnv = new ArrayList<>(envList);
        stepEnv.addAll(m.extraEnv);
        status = env.steps().run(stepKey, new ContainerSettings(argv, stepEnv, cwd, s.runtime().user(), "buildkitsandbox",
            false, false, NetworkMode.parse(network.equals("default") ? "bridge" : network), m.binds, m.tmpfs, Map.of()), out);
      } catch (ExecFailure e) {
        throw error(n, "process \"" + String.join(" ", argv) + "\" did not complete successfully: " + e.getMessage());
      } catch (InvalidArgumentException | io.strata.errdefs.FailedPreconditionException e) {
        if (e.getMessage().startsWith("Dockerfile:")) throw e;
        throw error(n, e.getMessage());
      }
      if (status != 0) {
        String output = captured.toString(StandardCharsets.UTF_8).strip();
        throw error(n, "process \"" + String.join(" ", argv) + "\" did not complete successfully: exit code: " + status
            + (output.isEmpty() ? "" : " (output: " + lastLines(output) + ")"));
      }
    });
  }

  /**
   * A shell-form RUN with heredocs, as BuildKit runs it: a lone {@code <<EOF} runs the body as the
   * script; otherwise the line and the bodies (with their terminators) go to the shell together.
   */
  private static String heredocScript(Node n) {
    String line = String.join(" ", n.args());
    if (n.heredocs().isEmpty()) return line;
    if (n.heredocs().size() == 1 && line.strip().matches("\\d*<<-?['\"]?" + java.util.regex.Pattern.quote(n.heredocs().getFirst().name()) + "['\"]?")) {
      return n.heredocs().getFirst().content();
    }
    StringBuilder script = new StringBuilder(line).append('\n');
    for (var h : n.heredocs()) script.append(h.content()).append(h.name()).append('\n');
    return script.toString();
  }

  private static String lastLines(String s) {
    String[] lines = s.split("\n");
    return String.join(" | ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 3), lines.length));
  }

  private static List<String> withShell(List<String> shell, String cmd) {
    List<String> argv = new ArrayList<>(shell);
    argv.add(cmd);
    return argv;
  }

  // ---- COPY / ADD

  private void copy(StageState s, Node n, boolean add) {
    List<String> words = new ArrayList<>();
    for (String a : n.args()) words.add(word(s, a));
    if (words.size() < 2) throw error(n, (add ? "ADD" : "COPY") + " requires at least two arguments");
    String destWord = words.getLast();
    List<String> sources = words.subList(0, words.size() - 1);
    String cwd = s.runtime().workingDir() == null || s.runtime().workingDir().isEmpty() ? "/" : s.runtime().workingDir();
    String dest = destWord.startsWith("/") ? destWord : (cwd.endsWith("/") ? cwd : cwd + "/") + destWord;
    boolean destIsDir = destWord.endsWith("/") || destWord.endsWith("/.") || sources.size() > 1;
    Optional<String> from = flag(n, "--from");
    Optional<String> chown = flag(n, "--chown").map(v -> word(s, v));
    Integer chmod = flag(n, "--chmod").map(v -> {
      if (!v.matches("[0-7]{3,4}")) throw error(n, "invalid chmod parameter: " + v);
      return Integer.parseInt(v, 8);
    }).orElse(null);
    String createdBy = (add ? "ADD " : "COPY ") + String.join(" ", n.args()) + " # buildkit"; // BuildKit leaves flags out
    if (flag(n, "--checksum").isPresent() && sources.stream().anyMatch(src -> !src.startsWith("http://") && !src.startsWith("https://"))) {
      throw error(n, "checksum can't be specified for non-HTTP(S) sources");
    }
    StageState fromStage = from.map(ref -> stages.apply(ref.toLowerCase(Locale.ROOT))).orElse(null);
    List<Path> contextSources = new ArrayList<>();
    String inputs;
    if (from.isEmpty()) {
      StringBuilder remote = new StringBuilder();
      for (String src : sources) {
        var heredoc = n.heredocs().stream().filter(h -> src.matches("\\d*<<-?['\"]?" + java.util.regex.Pattern.quote(h.name()) + "['\"]?")).findFirst();
        if (heredoc.isPresent()) { // an inline file: its name is the delimiter, its content the body
          String body = heredoc.get().expand() ? env.lexer().processWordKeepingQuotes(heredoc.get().content(), s::lookup)
              : heredoc.get().content();
          contextSources.add(env.downloads().write(heredoc.get().name(), body));
          remote.append(body).append('\n');
          continue;
        }
        if (add && (src.startsWith("http://") || src.startsWith("https://"))) {
          Path fetched = env.downloads().fetch(src, n, flag(n, "--checksum").orElse(null));
          contextSources.add(fetched);
          remote.append(src).append('\n');
          continue;
        }
        contextSources.addAll(env.context().resolve(src, n.startLine()));
      }
      inputs = remote + env.context().digest(contextSources);
    } else {
      inputs = fromStage.cacheKey + String.join("\n", sources);
    }
    String key = BuildCache.key(s.cacheKey, createdBy, inputs, String.valueOf(chown.orElse("")), String.valueOf(chmod));
    s.cacheKey = key;
    Copy copy = new Copy(contextSources, fromStage, from.orElse(null), sources, destIsDir, add, chmod);
    layerStep(s, n, key, createdBy, null, false, stepKey -> {
      record Direct(FileCopier.Owner owner, String rel, List<BuildSteps.LowerDir> dirs) {}
      Direct[] direct = {null};
      env.steps().withRoot(stepKey, root -> {
        try {
          FileCopier.Owner owner = chown.map(c -> {
            var u = UserResolver.resolve(root, c.contains(":") ? c : c + ":" + c.split(":")[0]);
            return new FileCopier.Owner(u.uid(), u.gid());
          }).orElse(from.isEmpty() ? new FileCopier.Owner(0, 0) : null);
          Path target = InRoot.resolve(root, dest);
          Optional<List<BuildSteps.LowerDir>> plan = env.steps().directPlan(stepKey, root, target);
          if (plan.isPresent()) direct[0] = new Direct(owner, root.relativize(target).toString(), plan.get());
          else copyTo(target, owner, copy, n);
        } catch (IOException e) {
          throw error(n, e.getMessage());
        }
      });
      if (direct[0] != null) { // a new destination: written into the layer's own directory, not through overlayfs
        try {
          Path target = env.steps().directTarget(stepKey, direct[0].rel(), direct[0].dirs());
          copyTo(target, direct[0].owner(), copy, n);
        } catch (IOException e) {
          throw error(n, e.getMessage());
        }
      }
    });
  }

  /** What a COPY or ADD copies: context files and downloads, or the named paths of another stage. */
  private record Copy(List<Path> contextSources, StageState fromStage, String fromName, List<String> sources, boolean destIsDir,
      boolean add, Integer chmod) {}

  /** The files of {@code c} to {@code target}, owned by {@code owner} (null: as they are). */
  private void copyTo(Path target, FileCopier.Owner owner, Copy c, Node n) throws IOException {
    if (c.fromStage() == null) {
      FileCopier copier = new FileCopier(owner, c.chmod(), p -> p.startsWith(env.context().root()) && env.context().ignored(p));
      for (Path src : c.contextSources()) { // remote files are never extracted
        place(copier, src, target, c.destIsDir(), c.add() && src.startsWith(env.context().root()));
      }
      return;
    }
    FileCopier copier = new FileCopier(owner, c.chmod(), p -> false);
    String fromKey = env.steps().prepare(c.fromStage().layers);
    try {
      env.steps().withRoot(fromKey, fromRoot -> {
        try {
          for (String src : c.sources()) {
            Path p = InRoot.resolve(fromRoot, src);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) throw error(n, "\"" + src + "\" not found in stage " + c.fromName());
            place(copier, p, target, c.destIsDir(), false);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } finally {
      env.steps().remove(fromKey);
    }
  }

  /** Docker's rules: a directory's contents go into the destination; a file goes into it when it is a directory. */
  private static void place(FileCopier copier, Path src, Path target, boolean destIsDir, boolean extract) throws IOException {
    if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
      copier.copy(src, target);
    } else if (extract && Archives.isArchive(src)) {
      Files.createDirectories(target);
      Archives.extract(src, target);
    } else if (destIsDir || Files.isDirectory(target)) {
      copier.copy(src, target.resolve(src.getFileName().toString()));
    } else {
      copier.copy(src, target);
    }
  }

  // ---- layers

  private void layerStep(StageState s, Node n, String key, String createdBy, java.util.function.Consumer<Path> inRoot,
      boolean onlyIfChanged) {
    layerStep(s, n, key, createdBy, inRoot, onlyIfChanged, null);
  }

  /**
   * A step that writes files: from the cache when {@code key} is there, else a writable layer over
   * the stage's layers, changed by {@code inRoot} (mounted) or {@code process} (runc); its changes
   * become the layer. {@code onlyIfChanged}: no changes make a metadata-only step (WORKDIR).
   */
  private void layerStep(StageState s, Node n, String key, String createdBy, java.util.function.Consumer<Path> inRoot,
      boolean onlyIfChanged, java.util.function.Consumer<String> process) {
    if (!env.noCache()) {
      Optional<BuildCache.Entry> hit = env.cache().lookup(key);
      Optional<LayerRecord> cached = hit.flatMap(h -> env.assembly().existingLayer(h.blob()));
      if (cached.isPresent()) {
        s.step.cached();
        if (cached.get().uncompressedSize() == EMPTY_TAR && onlyIfChanged) s.history(createdBy);
        else s.layer(env.fixedTime() != null ? env.fixedTime() : hit.get().created(), createdBy, cached.get());
        return;
      }
    }
    String stepKey = env.steps().prepare(s.layers);
    try {
      if (inRoot != null) env.steps().withRoot(stepKey, inRoot);
      if (process != null) process.accept(stepKey);
      List<Change> changes = env.steps().changes(stepKey);
      LayerRecord layer = env.assembly().writeLayer(out -> env.steps().writeLayer(stepKey, changes, out, env.fixedTime()));
      Instant now = env.fixedTime() != null ? env.fixedTime() : Instant.now();
      env.cache().put(key, layer.blobDigest(), now);
      if (changes.isEmpty() && onlyIfChanged) {
        s.history(createdBy);
      } else {
        // a reproducible build's blob has clamped times, so the layer is unpacked from it instead
        if (env.fixedTime() == null) env.steps().keepAsLayer(stepKey, s.layers, layer);
        s.layer(now, createdBy, layer);
      }
    } finally {
      env.steps().remove(stepKey);
    }
  }

  /** An empty layer tar: the two end-of-archive blocks. */
  private static final long EMPTY_TAR = 1024;

  // ---- words

  private String word(StageState s, String w) {
    try {
      return env.lexer().processWord(w, s::lookup);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(e.getMessage());
    }
  }

  private static String one(Node n) {
    if (n.args().isEmpty()) throw error(n, n.keyword().toUpperCase(Locale.ROOT) + " requires exactly one argument");
    return n.args().getFirst();
  }

  /** CMD/ENTRYPOINT/RUN: the JSON form's strings, or the shell form wrapped in the stage's SHELL. */
  private List<String> command(StageState s, Node n) {
    if (n.args().isEmpty()) return List.of();
    if (isJson(n, n.args())) return n.args();
    return withShell(s.shell(), String.join(" ", n.args()));
  }

  private static List<String> jsonOnly(Node n) {
    if (!isJson(n, n.args())) throw error(n, "SHELL requires the arguments to be in JSON form");
    return n.args();
  }

  /** Whether the instruction was written in JSON (exec) form: its argument text is a JSON array. */
  static boolean isJson(Node n, List<String> args) {
    String rest = n.original().strip();
    int sp = rest.indexOf(' ');
    rest = sp < 0 ? "" : rest.substring(sp + 1).strip();
    while (rest.startsWith("--")) {
      int next = rest.indexOf(' ');
      rest = next < 0 ? "" : rest.substring(next + 1).strip();
    }
    if (n.keyword().equals("healthcheck") && !rest.isEmpty()) {
      int next = rest.indexOf(' ');
      rest = next < 0 ? "" : rest.substring(next + 1).strip();
    }
    if (!rest.startsWith("[")) return false;
    try {
      return Json.mapper().readTree(rest).isArray();
    } catch (IOException e) {
      return false;
    }
  }

  static Optional<String> flag(Node n, String name) {
    for (String f : n.flags()) {
      if (f.startsWith(name + "=")) return Optional.of(f.substring(name.length() + 1));
    }
    return Optional.empty();
  }

  static InvalidArgumentException error(Node n, String message) {
    return new InvalidArgumentException("Dockerfile:" + n.startLine() + ": " + message);
  }

}
