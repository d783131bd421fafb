package io.strata.build;

import io.strata.oci.ContainerConfig;
import io.strata.oci.History;
import io.strata.oci.ImageConfig;
import io.strata.store.LayerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage while it builds: the image config so far (its history and rootfs included), its layers,
 * the ARGs in scope with their values, and the cache key of the last step (each step's key chains
 * on its parent's, so a change invalidates every later step and never an earlier one).
 */
final class StageState {
  static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  /** The comment BuildKit's Dockerfile frontend gives every history entry it writes. */
  static final String HISTORY_COMMENT = "buildkit.dockerfile.v0";

  ImageConfig config;
  final List<LayerRecord> layers = new ArrayList<>();
  final Map<String, String> args = new LinkedHashMap<>(); // ARGs in scope that have a value
  final java.util.Set<String> declaredArgs = new java.util.LinkedHashSet<>(); // every ARG in scope, in order
  String cacheKey;
  BuildProgress.Step step; // the instruction being run, for its output and whether it was cached
  /** The time of the last step that made a layer (a cached one keeps its first build's): metadata steps and the image get it. */
  Instant lastCreated;

  StageState(ImageConfig config, List<LayerRecord> layers, String cacheKey, Instant lastCreated) {
    this.config = config;
    this.layers.addAll(layers);
    this.cacheKey = cacheKey;
    this.lastCreated = lastCreated;
    if (runtime().env() == null || runtime().env().stream().noneMatch(e -> e.startsWith("PATH="))) {
      setEnv("PATH", DEFAULT_PATH); // BuildKit gives every stage a PATH
    }
  }

  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  ContainerConfig runtime() {
    return config.configOrEmpty();
  }

  void setRuntime(ContainerConfig c) {
    config = config.withConfig(c);
  }

  List<String> shell() {
    List<String> s = runtime().shell();
    return s == null || s.isEmpty() ? DEFAULT_SHELL : s;
  }

  /** Variables for expanding a word: the stage's ENV, then its ARGs where ENV does not set them. */
  String lookup(String name) {
    for (String e : runtime().env() == null ? List.<String>of() : runtime().env()) {
      int eq = e.indexOf('=');
      if (eq > 0 && e.substring(0, eq).equals(name)) return e.substring(eq + 1);
    }
    return args.get(name);
  }

  void setEnv(String key, String value) {
    List<String> env = new ArrayList<>();
    boolean replaced = false;
    for (String e : runtime().env() == null ? List.<String>of() : runtime().env()) {
      if (e.startsWith(key + "=")) {
        env.add(key + "=" + value);
        replaced = true;
      } else {
        env.add(e);
      }
    }
    if (!replaced) env.add(key + "=" + value);
    setRuntime(runtime().withEnv(env));
  }

  /** A metadata-only step, dated like the last layer. */
  void history(String createdBy) {
    config = config.withHistoryEntry(new History(lastCreated.toString(), createdBy, null, HISTORY_COMMENT, true));
  }

  /** A step that added {@code layer}, made at {@code created}. */
  void layer(Instant created, String createdBy, LayerRecord layer) {
    lastCreated = created;
    layers.add(layer);
    config = config.withLayer(layer.diffId(), new History(created.toString(), createdBy, null, HISTORY_COMMENT, false));
  }

  Map<String, String> argsCopy() {
    return new LinkedHashMap<>(args);
  }
}
