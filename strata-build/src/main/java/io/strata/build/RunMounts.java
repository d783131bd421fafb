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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Sets up one RUN step's {@code --mount}s in the step's directory and gives the runtime plain
 * binds and tmpfs mounts. Every source is resolved inside its own root (the context, a stage's
 * root, a cache directory), never through a symlink out of it (S35); a cache's directory is
 * bind-mounted by strata first, and only once the kernel's clone of it is checked to be the
 * directory that was resolved, so a concurrent step swapping it for a symlink cannot get the host
 * mounted (CVE-2024-23651). Cache
 * directories live under the store's {@code build-mounts/}, named by the digest of their id, never
 * by the id as a path (CVE-2024-9675).
 */
final class RunMounts implements AutoCloseable {
  private final Builder.Env env;
  private final Function<String, StageState> stages;
  private final List<CacheMountLocks.Lease> leases = new ArrayList<>();
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
        key.append(b.from() == null ? env.context().digest(env.context().resolve(b.source().isEmpty() ? "." : b.source(), line))
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
      Path resolved = env.context().resolve(b.source().isEmpty() ? "." : b.source(), line).getFirst();
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

  private boolean hasIgnored(Path dir) throws IOException {
    try (var w = Files.walk(dir)) {
      return w.anyMatch(env.context()::ignored);
    }
  }

  private void cache(RunMount.Cache c, Path scratch) throws IOException {
    Path caches = env.cacheMounts();
    String name = Digester.sha256().update(c.id().getBytes(StandardCharsets.UTF_8)).digest().hex();
    Path root = caches.resolve(name);
    Files.createDirectories(caches);
    CacheMountLocks.Lease lease = CacheMountLocks.acquire(caches.resolve(name + ".lock"), c.sharing());
    if (lease == null) { // private, and in use: a cache of this step's own
      root = Files.createDirectories(scratch.resolveSibling(scratch.getFileName() + "-private"));
    } else {
      leases.add(lease);
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      try { // mkdir, not a rename: a rename would replace a directory a concurrent build just made and is using
        Files.createDirectory(root);
        Files.setPosixFilePermissions(root, permissions(c.mode()));
        Files.setAttribute(root, "unix:uid", (int) c.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(root, "unix:gid", (int) c.gid(), LinkOption.NOFOLLOW_LINKS);
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // a concurrent build made it first
      }
    }
    Path source = InRoot.resolve(root, c.source()); // symlinks in the cache resolve inside it
    BasicFileAttributes seen;
    try {
      Files.createDirectories(source);
      seen = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.NoSuchFileException raced) {
      seen = null; // a step is changing it right now
    }
    if (seen == null || !seen.isDirectory()) {
      throw new FailedPreconditionException("cache mount " + c.id() + ": " + c.source() + " changed while it was being mounted");
    }
    Object expected = seen.fileKey();
    Files.createDirectories(scratch);
    boolean same;
    try {
      same = MountSyscalls.bindIfSame(source, scratch, c.readOnly(), expected);
    } catch (ErrnoException e) {
      throw new FailedPreconditionException("cache mount " + c.id() + ": " + e.getReason(), e);
    }
    if (!same) throw new FailedPreconditionException("cache mount " + c.id() + ": " + c.source() + " changed while it was being mounted");
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
    Files.setPosixFilePermissions(scratch, permissions(s.mode()));
    Files.setAttribute(scratch, "unix:uid", (int) s.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(scratch, "unix:gid", (int) s.gid(), LinkOption.NOFOLLOW_LINKS);
    binds.add(new BindMount(scratch, s.target(), true));
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = new HashSet<>();
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
    for (int i = 0; i < 9; i++) if ((mode & (0400 >> i)) != 0) out.add(all[i]);
    return out;
  }

  /** Releases cache locks and removes the scratch layers of {@code from} binds (their mounts go with the step). */
  @Override
  public void close() {
    leases.forEach(CacheMountLocks.Lease::close);
    for (String key : stepsToRemove) env.steps().remove(key);
  }
}
