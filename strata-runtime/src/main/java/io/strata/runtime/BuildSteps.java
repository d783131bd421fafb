package io.strata.runtime;

import io.strata.layer.ApplyOptions;
import io.strata.store.FileTrees;
import io.strata.runtime.spec.ContainerSettings;
import io.strata.snapshot.Change;
import io.strata.snapshot.Mounter;
import io.strata.snapshot.Snapshotter;
import io.strata.snapshot.Unpacker;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The writable layers of a build's steps: a RUN runs through runc in a throwaway container over
 * the stage's layers so far (not listed by {@code ps}), a COPY writes into such a layer's mounted
 * root; either way the caller then takes the layer's changes and removes it. Keys carry the pid,
 * so what a killed build leaves is recognisable.
 */
public final class BuildSteps {
  private static final String PREFIX = "build-";
  private final Store store;
  private final Snapshotter snapshotter;
  private final Runc runc;
  private final java.util.Map<String, java.util.concurrent.CompletableFuture<Void>> unmounting = new java.util.concurrent.ConcurrentHashMap<>();

  BuildSteps(Store store, Snapshotter snapshotter, Runc runc, io.strata.runtime.network.Networks networks) {
    this.store = store;
    this.snapshotter = snapshotter;
    this.runc = runc;
    this.networks = networks;
  }

  private final io.strata.runtime.network.Networks networks;

  /** A new writable layer over {@code layers} (unpacked once each); returns its key. */
  public String prepare(List<LayerRecord> layers) {
    String parent = new Unpacker(store.content(), snapshotter, ApplyOptions.defaults()).unpack(layers);
    String init = snapshotter.unpack(InitLayer.buildKey(parent), parent, InitLayer::fillForBuild).key();
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().map(java.time.Instant::getEpochSecond).orElse(0L);
    String key = PREFIX + self.pid() + "-" + started + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    directory(dir(key)); // first, so every step snapshot has a directory reconcile() finds
    snapshotter.prepare(key, init);
    return key;
  }

  /** A directory of the step for its mount sources (cleared with the step; mounts in it are unmounted first). */
  public Path mountsDir(String key) {
    return directory(dir(key).resolve("mounts"));
  }

  /** Removes what killed builds left: their step layers, mounts, runc state and directories. */
  public void reconcile() {
    Path builds = store.root().resolve("builds");
    if (!Files.isDirectory(builds)) return;
    try (var dirs = Files.list(builds)) {
      for (Path d : dirs.toList()) {
        String key = d.getFileName().toString();
        if (key.startsWith(PREFIX) && !alive(key)) {
          runc.delete(key);
          remove(key);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("list " + builds, e);
    }
  }

  /** Whether the build that made {@code key} (build-PID-START-RANDOM) still runs: that pid, started then (a reused pid is not it). */
  private static boolean alive(String key) {
    String[] p = key.substring(PREFIX.length()).split("-");
    try {
      long pid = Long.parseLong(p[0]);
      long started = p.length == 3 ? Long.parseLong(p[1]) : 0;
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> started == 0
          || h.info().startInstant().map(s -> Math.abs(s.getEpochSecond() - started) <= 1).orElse(true)).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not ours to judge
    }
  }

  /** Mounts the layer's merged root until {@link #remove}; returns it. */
  public Path mount(String key) {
    Path rootfs = directory(dir(key).resolve("rootfs"));
    Mounter.mount(snapshotter.mounts(key), rootfs);
    return rootfs;
  }

  /**
   * Runs {@code action} on the layer's merged root, mounted for the duration. The unmount finishes
   * in the background: unmounting an overlay syncs its upper directory (0.6 s after a 200 MB COPY
   * here), which can overlap the layer's tar; {@link #keepAsLayer} and {@link #remove} wait for it.
   */
  public void withRoot(String key, Consumer<Path> action) {
    Path rootfs = mount(key);
    try {
      action.accept(rootfs);
    } catch (RuntimeException e) {
      throw attempt(e, () -> Mounter.unmount(rootfs));
    }
    unmounting.put(key, java.util.concurrent.CompletableFuture.runAsync(() -> Mounter.unmount(rootfs), r -> Thread.ofVirtual().start(r)));
  }

  private void unmounted(String key) {
    var pending = unmounting.remove(key);
    if (pending == null) return;
    try {
      pending.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw e;
    }
  }

  /** A directory the layers below have, on the way to a path a COPY makes: copied up by hand before writing under it. */
  public record LowerDir(String path, int mode, int uid, int gid, java.nio.file.attribute.FileTime mtime,
      java.util.Map<String, byte[]> xattrs) {}

  /**
   * While the layer is mounted at {@code root}: whether a COPY to {@code target} (resolved in root,
   * symlinks followed) may write into the layer's own directory instead of through overlayfs, which
   * makes creating 20,000 small files about 4 times slower. Only for a target that does not exist
   * yet; the result lists the directories on the way that the layers below have. Empty: write
   * through the mount.
   */
  public java.util.Optional<List<LowerDir>> directPlan(String key, Path root, Path target) throws IOException {
    if (snapshotter.ownFiles(key).isEmpty() || Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return java.util.Optional.empty();
    }
    List<LowerDir> dirs = new java.util.ArrayList<>();
    Path rel = root.relativize(target);
    for (int i = 1; i < rel.getNameCount(); i++) {
      Path p = root.resolve(rel.subpath(0, i));
      if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) break;
      if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return java.util.Optional.empty(); // let the copy fail as usual
      var a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      dirs.add(new LowerDir(rel.subpath(0, i).toString(), (Integer) a.get("mode") & 07777, (Integer) a.get("uid"),
          (Integer) a.get("gid"), (java.nio.file.attribute.FileTime) a.get("lastModifiedTime"), io.strata.layer.Xattrs.read(p)));
    }
    return java.util.Optional.of(dirs);
  }

  /**
   * After {@link #withRoot}: makes {@code dirs} in the layer's own directory as overlayfs's copy-up
   * would (mode, owner, extended attributes, time) and returns where {@code rel} is there, to write
   * to while nothing is mounted.
   */
  public Path directTarget(String key, String rel, List<LowerDir> dirs) throws IOException {
    unmounted(key);
    Path own = snapshotter.ownFiles(key).orElseThrow();
    for (LowerDir d : dirs) {
      Path p = own.resolve(d.path());
      if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
      Files.createDirectory(p);
      io.strata.sys.Syscalls.lchown(p, d.uid(), d.gid()); // owner first: chown clears set-id bits
      for (var x : d.xattrs().entrySet()) io.strata.sys.Syscalls.lsetxattr(p, x.getKey(), x.getValue());
      io.strata.sys.Syscalls.lchmod(p, d.mode());
      Files.setLastModifiedTime(p, d.mtime());
    }
    return own.resolve(rel);
  }

  /** Runs a RUN step's process in the layer; its output goes to {@code output}; returns its exit status. */
  public int run(String key, ContainerSettings settings, OutputStream output) {
    int[] status = {0};
    withRoot(key, rootfs -> {
      Path bundle = dir(key);
      MountStubs stubs = MountStubs.before(rootfs, settings);
      RuntimeException failure = null;
      boolean networked = settings.network() == io.strata.runtime.spec.NetworkMode.BRIDGE;
      try {
        ContainerSettings run = settings;
        if (networked) { // a RUN step on the default bridge, as docker build's RUN
          networks.join(key, networks.defaultNetwork().name(), List.of(), null);
          var a = networks.attach(key, "buildkitsandbox-" + key.substring(0, 12), List.of());
          run = settings.withNetworkSetup(new io.strata.runtime.spec.NetworkSetup(a.netns(),
              io.strata.runtime.network.Networks.hostLines(a, settings.hostname()), a.nameservers()));
        }
        Runc.prepareBundle(bundle, rootfs, run);
        Process p = runc.run(key, bundle)
            .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try (InputStream in = p.getInputStream()) {
          in.transferTo(output);
        }
        status[0] = p.waitFor();
        ExecFailure notStarted = Runc.startFailure(bundle, status[0]);
        if (notStarted != null) failure = notStarted;
      } catch (IOException e) {
        failure = new UncheckedIOException("run build step", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new ExecFailure(ExecFailure.RUNTIME, "interrupted");
      } catch (RuntimeException e) {
        failure = e;
      }
      // cleanup runs whatever happened; its own failure never hides the step's
      failure = attempt(failure, () -> runc.delete(key));
      if (networked) {
        failure = attempt(failure, () -> networks.detach(key, "buildkitsandbox-" + key.substring(0, 12)));
        failure = attempt(failure, () -> networks.forget(key));
      }
      failure = attempt(failure, stubs::removeEmpty);
      if (failure != null) throw failure;
    });
    return status[0];
  }

  /** Runs {@code cleanup}; returns {@code failure}, or the cleanup's failure when there was none (else it is suppressed). */
  private static RuntimeException attempt(RuntimeException failure, Runnable cleanup) {
    try {
      cleanup.run();
    } catch (RuntimeException e) {
      if (failure == null) return e;
      failure.addSuppressed(e);
    }
    return failure;
  }

  public List<Change> changes(String key) {
    return snapshotter.changes(key);
  }

  /** The step's changes as a layer tar; file times after {@code mtimeClamp} (if any) are clamped to it. */
  public void writeLayer(String key, List<Change> changes, OutputStream out, java.time.Instant mtimeClamp) {
    io.strata.layer.WriteOptions options = io.strata.layer.WriteOptions.defaults();
    snapshotter.writeLayer(key, changes, out, mtimeClamp == null ? options : options.withMtimeClamp(mtimeClamp));
  }

  /**
   * Keeps the step's files as the unpacked form of {@code layer} over {@code below}, so later steps
   * need not unpack the layer they just made (overlay only; else a later step unpacks it).
   */
  public void keepAsLayer(String key, List<LayerRecord> below, LayerRecord layer) {
    unmounted(key);
    List<io.strata.oci.Digest> diffIds = new java.util.ArrayList<>(below.stream().map(LayerRecord::diffId).toList());
    String parent = diffIds.isEmpty() ? null : io.strata.oci.ChainIds.chainId(diffIds).toString();
    diffIds.add(layer.diffId());
    snapshotter.promote(key, io.strata.oci.ChainIds.chainId(diffIds).toString(), parent);
  }

  /** Drops the layer and its bundle. */
  public void remove(String key) {
    try {
      unmounted(key);
    } catch (RuntimeException e) {
      // the unmount below tries again (and detaches a busy mount)
    }
    for (Path p : Mounter.mountedUnder(dir(key)).reversed()) Mounter.unmount(p); // never delete through a mount
    if (snapshotter.get(key).isPresent()) snapshotter.remove(key);
    try {
      if (Files.exists(dir(key))) FileTrees.deleteTree(dir(key));
    } catch (IOException e) {
      throw new UncheckedIOException("remove " + dir(key), e);
    }
  }

  private static Path directory(Path d) {
    try {
      return Files.createDirectories(d);
    } catch (IOException e) {
      throw new UncheckedIOException("create " + d, e);
    }
  }

  private Path dir(String key) {
    return store.root().resolve("builds").resolve(key);
  }
}
