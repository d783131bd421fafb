package io.strata.build;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.InRoot;
import io.strata.oci.Digester;
import io.strata.runtime.spec.BindMount;
import io.strata.runtime.spec.TmpfsMount;
import io.strata.sys.ErrnoException;
import io.strata.sys.MountSyscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sets up one RUN step's {@code --mount}s in the step's directory and gives the runtime plain
 * binds and tmpfs mounts. Every source is resolved inside its own root (the context, a stage's
 * root, a cache directory), never through a symlink out of it (S35). A cache's directory is opened
 * by the kernel inside the cache and bind-mounted from that fd by strata itself
 * ({@link MountSyscalls#bindInRoot}), so a concurrent step swapping any part of the path for a
 * symlink cannot get the host mounted (CVE-2024-23651). Cache directories live under the store's
 * {@code build-mounts/}, named by the digest of their id, never by the id as a path (CVE-2024-9675).
 */
final class RunMounts implements AutoCloseable {
  private final Builder.Env env;
  private final Function<String, StageState> stages;
  private final java.util.Map<String, CacheMountLocks.Lease> leases = new java.util.HashMap<>(); // by cache name
  private final List<String> stepsToRemove = new ArrayList<>();
  final List<BindMount> binds = new ArrayList<>();
  final List<TmpfsMount> tmpfs = new ArrayList<>();
  final List<String> extraEnv = new ArrayList<>();

  private RunMounts(Builder.Env env, Function<String, StageState> stages) {
    this.env = env;
    this.stages = stages;
  }

  /** The part of the step's cache key the mounts make: their fields, and the content of context binds. */
  static String cacheKey(List<RunMount> mounts, Builder.Env env, Function<String, StageState> stages, int line) {
    StringBuilder key = new StringBuilder();
    for (RunMount m : mounts) {
      key.append(m.describe()).append('\n');
      if (m instanceof RunMount.Bind b) {
        key.append(b.from() == null ? env.context().digest(List.of(contextSource(b, env, line)))
            : stages.apply(b.from().toLowerCase(java.util.Locale.ROOT)).cacheKey).append('\n');
      }
    }
    return key.toString();
  }

  /** Prepares {@code mounts} for the step {@code stepKey}; closing releases locks and scratch layers. */
  static RunMounts open(List<RunMount> mounts, String stepKey, Builder.Env env, Function<String, StageState> stages, int line) {
    RunMounts r = new RunMounts(env, stages);
    try {
      Path dir = env.steps().mountsDir(stepKey);
      r.lockCaches(mounts);
      int n = 0;
      for (RunMount m : mounts) {
        Path scratch = dir.resolve(Integer.toString(n++));
        switch (m) {
          case RunMount.Bind b -> r.bind(b, scratch, line);
          case RunMount.Cache c -> r.cache(c, scratch);
          case RunMount.Tmpfs t -> r.tmpfs.add(new TmpfsMount(t.target(),
              t.size() == null ? List.of("nosuid", "nodev", "mode=1777") : List.of("nosuid", "nodev", "mode=1777", "size=" + t.size())));
          case RunMount.Secret s -> r.secret(s, env.secrets().get(s.id()), scratch);
        }
      }
      return r;
    } catch (IOException e) {
      r.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  private void bind(RunMount.Bind b, Path scratch, int line) throws IOException {
    Path source;
    if (b.from() == null) {
      Path resolved = contextSource(b, env, line);
      boolean clean = !Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS) || !hasIgnored(resolved);
      if (!b.readWrite() && clean) {
        source = resolved; // read-only and nothing to hide: the context itself
      } else { // a copy: ignored files stay out, and writes never reach the context
        new FileCopier(null, null, p -> env.context().ignored(p)).copy(resolved, scratch);
        source = scratch;
      }
    } else {
      StageState from = stages.apply(b.from().toLowerCase(java.util.Locale.ROOT));
      String key = env.steps().prepare(from.layers); // a throwaway layer: writes with rw are dropped with it
      stepsToRemove.add(key);
      Path root = env.steps().mount(key);
      source = InRoot.resolve(root, b.source());
      if (!Files.exists(source)) throw new InvalidArgumentException("\"" + b.source() + "\" not found in " + b.from());
    }
    binds.add(new BindMount(source, b.target(), !b.readWrite()));
  }

  /**
   * What a bind from the context mounts, and what its cache key hashes: the named path (it must exist
   * and not be ignored), a symlink followed inside the context, never handed to runc, which would
   * follow it on the host.
   */
  private static Path contextSource(RunMount.Bind b, Builder.Env env, int line) {
    Path named = env.context().resolve(b.source().isEmpty() ? "." : b.source(), line).getFirst();
    try {
      Path resolved = InRoot.resolve(env.context().root(), env.context().root().relativize(named).toString());
      if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidArgumentException("\"" + b.source() + "\" not found in the build context");
      }
      return resolved;
    } catch (IOException e) {
      throw new UncheckedIOException("resolve " + b.source(), e);
    }
  }

  private boolean hasIgnored(Path dir) throws IOException {
    try (var w = Files.walk(dir)) {
      return w.anyMatch(env.context()::ignored);
    }
  }

  /**
   * Takes the locks of the step's caches first, in the order of their names, the same for every
   * step and process, so two steps locking the same caches cannot wait on each other. A cache may
   * be named once per step.
   */
  private void lockCaches(List<RunMount> mounts) throws IOException {
    java.util.TreeMap<String, RunMount.Cache> byName = new java.util.TreeMap<>();
    for (RunMount m : mounts) {
      if (m instanceof RunMount.Cache c && byName.put(cacheName(c), c) != null) {
        throw new InvalidArgumentException("cache " + c.id() + " is mounted twice in one step");
      }
    }
    if (byName.isEmpty()) return;
    Files.createDirectories(env.cacheMounts());
    for (var e : byName.entrySet()) {
      CacheMountLocks.Lease lease = CacheMountLocks.acquire(env.cacheMounts().resolve(e.getKey() + ".lock"), e.getValue().sharing());
      if (lease != null) leases.put(e.getKey(), lease); // null: private and in use
    }
  }

  private static String cacheName(RunMount.Cache c) {
    return Digester.sha256().update(c.id().getBytes(StandardCharsets.UTF_8)).digest().hex();
  }

  private void cache(RunMount.Cache c, Path scratch) throws IOException {
    Path caches = env.cacheMounts();
    String name = cacheName(c);
    Path root = caches.resolve(name);
    Files.createDirectories(caches);
    if (!leases.containsKey(name)) root = scratch.resolveSibling(scratch.getFileName() + "-private"); // private, in use: its own
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      try { // mkdir, not a rename: a rename would replace a directory a concurrent build just made and is using
        Files.createDirectory(root);
        Files.setAttribute(root, "unix:mode", c.mode(), LinkOption.NOFOLLOW_LINKS); // sticky and set-id bits too
        Files.setAttribute(root, "unix:uid", (int) c.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(root, "unix:gid", (int) c.gid(), LinkOption.NOFOLLOW_LINKS);
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // a concurrent build made it first
      }
    }
    Files.createDirectories(scratch);
    try { // resolved by the kernel inside the cache, whatever a concurrent step does to it (CVE-2024-23651)
      MountSyscalls.bindInRoot(root, c.source(), scratch, c.readOnly());
    } catch (ErrnoException e) {
      throw new FailedPreconditionException("cache mount " + c.id() + ": " + e.getReason(), e);
    }
    binds.add(new BindMount(scratch, c.target(), c.readOnly()));
  }

  private void secret(RunMount.Secret s, byte[] value, Path scratch) throws IOException {
    if (value == null) {
      if (s.required()) throw new InvalidArgumentException("secret " + s.id() + ": not found (pass it with --secret id=" + s.id() + ",src=FILE)");
      return;
    }
    if (s.env() != null) extraEnv.add(s.env() + "=" + new String(value, StandardCharsets.UTF_8));
    if (s.target() == null) return;
    Files.createDirectories(scratch.getParent());
    Files.write(scratch, value);
    Files.setAttribute(scratch, "unix:mode", s.mode(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(scratch, "unix:uid", (int) s.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(scratch, "unix:gid", (int) s.gid(), LinkOption.NOFOLLOW_LINKS);
    binds.add(new BindMount(scratch, s.target(), true));
  }

  /** Releases cache locks and removes the scratch layers of {@code from} binds (their mounts go with the step). */
  @Override
  public void close() {
    leases.values().forEach(CacheMountLocks.Lease::close);
    for (String key : stepsToRemove) env.steps().remove(key);
  }
}
