package io.strata.build;

import io.strata.build.parser.Dockerfile;
import io.strata.build.parser.DockerfileParser;
import io.strata.build.parser.Node;
import io.strata.build.shell.ShellLexer;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.image.Image;
import io.strata.image.ImageAssembly;
import io.strata.image.ImageService;
import io.strata.oci.Digest;
import io.strata.oci.ImageConfig;
import io.strata.oci.Platform;
import io.strata.runtime.BuildSteps;
import io.strata.runtime.Containers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code strata build}: parses the Dockerfile, plans the stages the target needs, and runs them in
 * order, each step from the layer cache when its key is there. The final image is recorded and
 * tagged only when every step succeeded; a failed build tags nothing and leaves only cache entries.
 */
public final class Builder {
  /** What every step of one build shares. */
  record Env(Instant fixedTime, Map<String, String> buildArgs, Map<String, String> globalArgs, Set<String> usedArgs,
      ShellLexer lexer, BuildSteps steps, BuildContext context, BuildCache cache, ImageAssembly assembly,
      boolean noCache, Downloads downloads, Path cacheMounts, Map<String, byte[]> secrets, String network,
      boolean allowHostNetwork) {}

  private final ImageService images;
  private final Containers containers;
  private final BaseImages bases;
  private final boolean alwaysPull;
  private final Map<String, Boolean> pulled = new ConcurrentHashMap<>(); // each ref pulled once per build

  public Builder(ImageService images, Containers containers) {
    this(images, containers, BaseImages.NONE, false);
  }

  /** {@code alwaysPull}: {@code --pull}, the registry's current image for every named base. */
  public Builder(ImageService images, Containers containers, BaseImages bases, boolean alwaysPull) {
    this.images = images;
    this.containers = containers;
    this.bases = bases;
    this.alwaysPull = alwaysPull;
  }

  /** Builds; step lines go to {@code out} (nothing with {@code quiet}); returns the image ID. */
  public Digest build(BuildRequest req, PrintStream out, boolean quiet) {
    return build(req, quiet ? BuildProgress.quiet() : BuildProgress.plain(out));
  }

  /** Builds, showing {@code progress}; returns the image ID. */
  public Digest build(BuildRequest req, BuildProgress progress) {
    boolean ok = false;
    try {
      Digest id = run(req, progress);
      ok = true;
      return id;
    } finally {
      progress.finish(ok);
    }
  }

  private Digest run(BuildRequest req, BuildProgress progress) {
    String text = DockerfileSource.read(req.context(), req.dockerfile());
    Dockerfile file = DockerfileParser.parse(text);
    for (Node n : file.instructions()) { // before anything runs, as Docker checks
      if (!DockerfileParser.isKnown(n.keyword())) {
        throw new InvalidArgumentException("Dockerfile:" + n.startLine() + ": unknown instruction: "
            + n.keyword().toUpperCase(Locale.ROOT));
      }
      InstructionFlags.check(n);
    }
    containers.buildSteps().reconcile();
    BuildPlan plan = BuildPlan.of(file, req.target());
    ShellLexer lexer = new ShellLexer(file.escape());
    Map<String, String> globals = new LinkedHashMap<>(platformArgs());
    for (Node arg : plan.globalArgs()) {
      for (String a : arg.args()) {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        String value = req.buildArgs().containsKey(name) ? req.buildArgs().get(name)
            : eq < 0 ? null : lexer.processWord(a.substring(eq + 1), globals::get);
        if (value != null) globals.put(name, value);
      }
    }
    Instant fixedTime = req.sourceDateEpoch() == null ? null : Instant.ofEpochSecond(req.sourceDateEpoch());
    Set<String> used = ConcurrentHashMap.newKeySet();
    plan.globalArgs().forEach(n -> n.args().forEach(a -> used.add(a.split("=", 2)[0])));
    try (ImageAssembly assembly = new ImageAssembly(images); Downloads downloads = new Downloads(images.store().tmpDir())) {
      Env env = new Env(fixedTime, req.buildArgs(), globals, used, lexer, containers.buildSteps(),
          new BuildContext(req.context(), req.dockerfilePath(), images.store()), new BuildCache(images.store()), assembly, req.noCache(),
          downloads, images.store().root().resolve("build-mounts"), req.secrets(), req.network(), req.allowHostNetwork());
      Map<String, StageState> done = new ConcurrentHashMap<>();
      int total = plan.order().stream().mapToInt(s -> s.body().size() + 1).sum();
      StageBuilder builder = new StageBuilder(env, ref -> {
        StageState s = done.get(ref);
        if (s != null) return s;
        return fromImage(ref, env);
      });
      buildStages(plan, done, total, builder, env, progress);
      StageState target = done.get(Integer.toString(plan.target().index()));
      Set<String> unused = new TreeMap<>(req.buildArgs()).keySet();
      unused.removeAll(used);
      if (!unused.isEmpty()) progress.line("[Warning] One or more build-args " + unused + " were not consumed");
      ImageConfig config = target.config.withCreated(fixedTime != null ? fixedTime : target.lastCreated);
      if (!req.labels().isEmpty()) {
        Map<String, String> labels = new TreeMap<>(config.configOrEmpty().labels() == null ? Map.of() : config.configOrEmpty().labels());
        labels.putAll(req.labels());
        config = config.withConfig(config.configOrEmpty().withLabels(labels));
      }
      if (req.tags().isEmpty()) progress.line("COMMIT");
      for (String t : req.tags()) progress.line("COMMIT " + t);
      Digest id = assembly.record(config, target.layers, req.tags());
      progress.line("--> " + id.shortHex());
      for (String t : req.tags()) progress.line("Successfully tagged " + t);
      return id;
    }
  }

  /**
   * Builds the planned stages, each as soon as the stages it builds on or copies from are built, so
   * independent stages build side by side (on virtual threads). Steps keep the numbers of the
   * Dockerfile's order. After a failure no stage starts another step; the first failure is thrown
   * once every running stage has stopped, so their cleanup is done.
   */
  private void buildStages(BuildPlan plan, Map<String, StageState> done, int total, StageBuilder builder, Env env,
      BuildProgress progress) {
    AtomicBoolean failed = new AtomicBoolean();
    Map<Stage, CompletableFuture<Void>> built = new LinkedHashMap<>();
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      int first = 1;
      for (Stage stage : plan.order()) {
        int number = first;
        first += stage.body().size() + 1;
        var after = CompletableFuture.allOf(plan.dependencies(stage).stream().map(built::get)
            .toArray(CompletableFuture[]::new));
        built.put(stage, after.thenRunAsync(() -> {
          try {
            buildStage(stage, number, total, done, builder, env, progress, failed);
          } catch (RuntimeException | Error e) {
            failed.set(true);
            throw e;
          }
        }, threads));
      }
      Throwable failure = null; // the first real one, in the Dockerfile's order
      for (var f : built.values()) {
        try {
          f.join();
        } catch (CompletionException | CancellationException e) {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          if (failure == null && !(cause instanceof Stopped)) failure = cause;
        }
      }
      if (failure instanceof RuntimeException r) throw r;
      if (failure instanceof Error err) throw err;
    }
  }

  /** A stage stopped because another one failed. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super("stopped: another stage failed", null, false, false);
    }
  }

  private void buildStage(Stage stage, int number, int total, Map<String, StageState> done, StageBuilder builder, Env env,
      BuildProgress progress, AtomicBoolean failed) {
    int step = number;
    BuildProgress.Step fromStep = progress.step(step, total, stage.from().original());
    StageState state;
    try {
      state = from(stage, done, env);
      state.step = fromStep;
      for (String trigger : onBuild(state)) {
        for (Node n : DockerfileParser.parse(trigger).instructions()) {
          InstructionFlags.check(n);
          builder.execute(state, n);
        }
      }
      if (!onBuild(state).isEmpty()) state.setRuntime(state.runtime().withOnBuild(null)); // triggers fire once
    } catch (RuntimeException | Error e) {
      fromStep.failed();
      throw e;
    }
    fromStep.done();
    for (Node n : stage.body()) {
      if (failed.get()) throw new Stopped();
      state.step = progress.step(++step, total, n.original());
      try {
        builder.execute(state, n);
      } catch (RuntimeException | Error e) {
        state.step.failed();
        throw e;
      }
      state.step.done();
    }
    done.put(Integer.toString(stage.index()), state);
    if (stage.name() != null) done.put(stage.name(), state);
  }

  /** BuildKit's automatic platform args: one platform here, the host's (no emulation). */
  private static Map<String, String> platformArgs() {
    Platform p = Platform.current();
    String variant = p.variant() == null ? "" : p.variant();
    Map<String, String> m = new LinkedHashMap<>();
    for (String prefix : List.of("BUILD", "TARGET")) {
      m.put(prefix + "PLATFORM", p.toString());
      m.put(prefix + "OS", p.os());
      m.put(prefix + "ARCH", p.architecture());
      m.put(prefix + "VARIANT", variant);
    }
    return m;
  }

  /** {@code FROM --platform=…} names the host's platform, or the build cannot honour it. */
  private static void checkPlatform(Node from, Env env) {
    Optional<String> flag = StageBuilder.flag(from, "--platform").map(v -> env.lexer().processWord(v, env.globalArgs()::get));
    if (flag.isEmpty()) return;
    Platform host = Platform.current();
    String[] p = flag.get().toLowerCase(Locale.ROOT).split("/");
    boolean same = p.length >= 2 && p.length <= 3 && p[0].equals(host.os()) && p[1].equals(host.architecture())
        && (p.length == 2 || p[2].equals(host.variant() == null ? "" : host.variant()));
    if (!same) {
      throw new InvalidArgumentException("Dockerfile:" + from.startLine() + ": platform " + flag.get()
          + " is not supported: strata builds for " + host + " only (no emulation)");
    }
  }

  private StageState from(Stage stage, Map<String, StageState> done, Env env) {
    checkPlatform(stage.from(), env);
    String ref = env.lexer().processWord(stage.from().args().getFirst(), env.globalArgs()::get);
    if (ref.equalsIgnoreCase("scratch")) {
      ImageConfig config = ImageConfig.of(Platform.current()).withConfig(io.strata.oci.ContainerConfig.empty());
      return new StageState(config, List.of(), "scratch", env.fixedTime() != null ? env.fixedTime() : Instant.EPOCH);
    }
    StageState earlier = done.get(ref.toLowerCase(Locale.ROOT));
    if (earlier != null) {
      return new StageState(earlier.config, earlier.layers, earlier.cacheKey, earlier.lastCreated);
    }
    return fromImage(ref, env);
  }

  private StageState fromImage(String ref, Env env) {
    Image image;
    if (alwaysPull) pullOnce(ref);
    try {
      image = images.resolve(ref);
    } catch (NotFoundException e) {
      pullOnce(ref);
      image = images.resolve(ref);
    }
    Instant created = image.config().value().createdInstant();
    return new StageState(image.config().value(), image.layers(), "image:" + image.id(),
        env.fixedTime() != null ? env.fixedTime() : created != null ? created : Instant.EPOCH);
  }

  /** Stages built side by side may name the same base: it is pulled once, the others wait for it. */
  private void pullOnce(String ref) {
    pulled.computeIfAbsent(ref, r -> {
      bases.pull(r);
      return true;
    });
  }

  private static List<String> onBuild(StageState s) {
    List<String> triggers = s.runtime().onBuild();
    return triggers == null ? List.of() : List.copyOf(triggers);
  }
}
