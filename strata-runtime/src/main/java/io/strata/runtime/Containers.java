package io.strata.runtime;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.image.CommitRequest;
import io.strata.image.Image;
import io.strata.image.ImageService;
import io.strata.layer.ApplyOptions;
import io.strata.store.FileTrees;
import io.strata.oci.ContainerConfig;
import io.strata.oci.Digest;
import io.strata.runtime.spec.BindMount;
import io.strata.runtime.spec.BundleWriter;
import io.strata.runtime.spec.ContainerSettings;
import io.strata.runtime.network.Network;
import io.strata.runtime.network.Networks;
import io.strata.runtime.network.PortSpec;
import io.strata.runtime.spec.NetworkMode;
import io.strata.runtime.spec.NetworkSetup;
import io.strata.runtime.spec.UserResolver;
import io.strata.runtime.volume.Volumes;
import io.strata.snapshot.Change;
import io.strata.snapshot.Mounter;
import io.strata.snapshot.Snapshotter;
import io.strata.snapshot.Snapshotters;
import io.strata.snapshot.Unpacker;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Containers over one store: create (unpack the image once, add a writable layer), start and run
 * through runc, stop, kill, remove, and what reads a container's writable layer (diff, commit,
 * export, cp). Opening reconciles what a crash left: containers whose monitor is gone are marked
 * exited and their mounts removed.
 */
public final class Containers {
  private final Store store;
  private final ImageService images;
  private final Snapshotter snapshotter; // for new containers; existing ones keep the driver they were made on
  private final Map<String, Snapshotter> byDriver = new java.util.HashMap<>();
  private final String runtimeOverride;
  private final ContainerStore table;
  private final Path root;
  private final Networks networks;
  private final Volumes volumes;
  private final ContainerMounts mounts;
  private Runc runc;

  private Containers(ImageService images, Snapshotter snapshotter, String runtimeOverride) {
    this.images = images;
    this.store = images.store();
    this.snapshotter = snapshotter;
    this.runtimeOverride = runtimeOverride;
    byDriver.put(snapshotter.driver(), snapshotter);
    this.table = new ContainerStore(store);
    this.root = store.root();
    this.networks = new Networks(store.db(), store.events(), root, System.getenv());
    this.volumes = new Volumes(store);
    this.mounts = new ContainerMounts(volumes, table);
  }

  /** restart, pause, unpause, rename, top, container prune. */
  public ContainerControl control() {
    return new ContainerControl(this, table);
  }

  /** The volumes containers of this store mount. */
  public Volumes volumes() {
    return volumes;
  }

  /** Copies the image's content into the container's empty volumes; its root is mounted at {@code rootfs}. */
  void populateVolumes(Container c, Path rootfs) {
    mounts.populate(c, rootfs);
  }

  /** The networks containers of this store join. */
  public Networks networks() {
    return networks;
  }

  /** Containers of {@code images}' store on the storage driver {@code driver} (null: the host's best). */
  public static Containers open(ImageService images, String driver) {
    return open(images, driver, null);
  }

  /** As {@link #open(ImageService, String)}, with the OCI runtime binary given ({@code STRATA_RUNTIME}). */
  public static Containers open(ImageService images, String driver, String runtime) {
    Containers c = new Containers(images, Snapshotters.open(images.store(), driver), runtime);
    c.reconcile();
    return c;
  }

  /** The snapshotter holding {@code c}'s writable layer. */
  Snapshotter snapshotterFor(Container c) {
    return byDriver.computeIfAbsent(c.driver(), d -> Snapshotters.open(store, d));
  }

  public Snapshotter snapshotter() {
    return snapshotter;
  }

  Path dir(String id) {
    return Container.dir(root, id);
  }

  Runc runc() {
    if (runc == null) runc = Runc.find(root, runtimeOverride);
    return runc;
  }

  /** The OCI runtime binary containers run with ({@code info}); null when the host has none. */
  public String runtimeBinary() {
    Runc r = runcOrNull();
    return r == null ? null : r.binary();
  }

  private Runc runcOrNull() {
    try {
      return runc();
    } catch (FailedPreconditionException e) {
      return null; // no runtime: nothing can be running
    }
  }

  // ---- lifecycle

  public Container create(CreateRequest req) {
    Image image = images.resolve(req.image());
    ContainerConfig config = image.config().value().configOrEmpty();
    ContainerSpec spec = spec(config, req).withMounts(mounts.plan(config, req));
    String id = HexFormat.of().formatHex(randomBytes());
    boolean generated = req.name() == null || req.name().isEmpty();
    Container c = new Container(id, generated ? ContainerNames.generate() : ContainerNames.check(req.name()), image.id(),
        req.image(), snapshotter.driver(), Instant.now(), spec, ContainerState.CREATED, 0, 0, 0, "", null, null, 0, null);
    BundleWriter.validate(settings(c, true)); // bad config fails before anything is written
    runc();
    if (NetworkMode.parse(spec.network()) == NetworkMode.BRIDGE) networks.get(spec.network()); // a network that exists
    String parent = unpacker().unpack(image.layers());
    c = c.withSpec(spec.withMounts(mounts.realize(spec.mounts())));
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          table.insert(c, blobs(image));
          break;
        } catch (io.strata.errdefs.AlreadyExistsException e) {
          if (!generated || attempt == 10) throw e;
          c = c.withName(ContainerNames.generate() + (attempt > 3 ? attempt : "")); // Docker retries, then adds a digit
        }
      }
    } catch (RuntimeException e) { // not made: the anonymous volumes made for it go
      for (MountPoint m : c.spec().mounts()) {
        if (m.type() == MountPoint.Type.VOLUME && volumes.get(m.source()).anonymous()) volumes.remove(m.source(), true);
      }
      throw e;
    }
    try {
      volumes.use(id, ContainerMounts.volumeNames(c.spec().mounts()));
      Files.createDirectories(dir(id));
      String init = snapshotter.unpack(InitLayer.key(parent), parent, InitLayer::fill).key();
      snapshotter.prepare(id, init);
      if (NetworkMode.parse(spec.network()) == NetworkMode.BRIDGE) {
        Network n = networks.get(spec.network());
        boolean user = !n.name().equals(Network.DEFAULT);
        networks.join(id, n.name(), user ? spec.networking().aliases() : List.of(), spec.networking().ip());
      }
    } catch (IOException | RuntimeException e) {
      removeStopped(id, true);
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return c;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static Set<Digest> blobs(Image image) {
    Set<Digest> d = new LinkedHashSet<>(List.of(image.id(), image.manifest().digest()));
    for (LayerRecord l : image.layers()) d.add(l.blobDigest());
    return d;
  }

  /** Docker's merge of image config and flags. */
  private static ContainerSpec spec(ContainerConfig img, CreateRequest req) {
    List<String> entrypoint = req.entrypoint() != null ? req.entrypoint() : img.entrypoint();
    List<String> cmd = !req.cmd().isEmpty() ? req.cmd() : req.entrypoint() != null ? List.of() : img.cmd();
    if ((entrypoint == null || entrypoint.isEmpty()) && (cmd == null || cmd.isEmpty())) {
      throw new InvalidArgumentException("No command specified");
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (List<String> list : List.of(img.env() == null ? List.<String>of() : img.env(), req.env())) {
      for (String e : list) {
        int eq = e.indexOf('=');
        env.put(eq < 0 ? e : e.substring(0, eq), e);
      }
    }
    if (req.workingDir() != null && !req.workingDir().isEmpty() && !req.workingDir().startsWith("/")) {
      throw new InvalidArgumentException("the working directory '" + req.workingDir() + "' is invalid, it needs to be an absolute path");
    }
    req.options().check();
    String workdir = req.workingDir() != null && !req.workingDir().isEmpty() ? req.workingDir() : img.workingDir();
    String user = req.user() != null && !req.user().isEmpty() ? req.user() : img.user();
    NetworkMode mode = NetworkMode.parse(req.network());
    req.networking().check();
    if (mode != NetworkMode.BRIDGE && (!req.networking().publish().isEmpty() || req.networking().publishAll())) {
      // Docker publishes nothing with --network host or none (it warns); strata refuses what would not work
      throw new InvalidArgumentException("conflicting options: port publishing and the " + req.network() + " network mode");
    }
    if (mode != NetworkMode.BRIDGE && req.networking().ip() != null) {
      throw new InvalidArgumentException("user specified IP address is supported on user defined networks only");
    }
    if (!RestartPolicy.parse(req.runOptions().restart()).isNo() && req.autoRemove()) {
      throw new InvalidArgumentException("Conflicting options: --restart and --rm");
    }
    List<String> exposed = new ArrayList<>(img.exposedPorts() == null ? List.of() : img.exposedPorts().keySet());
    for (var p : req.networking().ports()) {
      String key = p.containerPort() + "/" + p.protocol();
      if (!exposed.contains(key)) exposed.add(key);
    }
    return new ContainerSpec(entrypoint, cmd, List.copyOf(env.values()), workdir, user, req.hostname(), req.tty(),
        req.interactive(), req.readOnly(), req.network(), req.binds(), req.autoRemove(), req.options().labels(img.labels()),
        req.options().stopSignal(img.stopSignal()), img.volumes(), req.networking(), exposed, List.of(), req.runOptions(),
        req.runOptions().healthcheck(img.healthcheck()), req.options().kept());
  }

  ContainerSettings settings(Container c) {
    return settings(c, false);
  }

  /** {@code planned}: the container is not made yet, its volumes may not exist (for checking its settings). */
  private ContainerSettings settings(Container c, boolean planned) {
    ContainerSpec s = c.spec();
    ContainerMounts.Resolved m = mounts.resolve(s, planned);
    NetworkMode mode = NetworkMode.parse(s.network());
    String hostname = s.hostname() != null && !s.hostname().isEmpty() ? s.hostname()
        : mode == NetworkMode.HOST ? hostHostname() : c.shortId();
    return new ContainerSettings(s.args(), s.env(), s.workingDir(), s.user(), hostname, s.readOnly(), s.tty(),
        mode, m.binds(), m.tmpfs(), Map.of(), new NetworkSetup(null, s.networking().hostsLines(), s.networking().dns()),
        s.options().host());
  }

  /** With the host's network a container has the host's name, as in Docker. */
  private static String hostHostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /**
   * Sets up the container's networks for one start (bridge and user networks; nothing for none and
   * host): its settings then name the namespace, its address in /etc/hosts and the nameservers.
   */
  ContainerSettings attachNetwork(Container c, ContainerSettings base) {
    if (base.network() != NetworkMode.BRIDGE) return base;
    List<PortSpec> ports = new ArrayList<>(c.spec().networking().ports());
    if (c.spec().networking().publishAll()) {
      for (String e : c.spec().exposedPorts()) {
        String[] pp = e.split("/");
        int port = Integer.parseInt(pp[0].replaceFirst("-.*", ""));
        String proto = pp.length > 1 ? pp[1] : "tcp";
        if (ports.stream().noneMatch(p -> p.containerPort() == port && p.protocol().equals(proto))) {
          ports.add(new PortSpec(null, 0, port, proto));
        }
      }
    }
    Networks.Attached a = networks.attach(c.id(), c.name(), ports);
    List<String> hosts = new ArrayList<>(Networks.hostLines(a, base.hostname()));
    hosts.addAll(base.networkSetup().hostsLines());
    List<String> dns = !c.spec().networking().dns().isEmpty() ? c.spec().networking().dns() : a.nameservers();
    return base.withNetworkSetup(new NetworkSetup(a.netns(), hosts, dns));
  }

  /** Tears down what {@link #attachNetwork} set up; nothing when nothing is. */
  void detachNetwork(Container c) {
    if (NetworkMode.parse(c.spec().network()) == NetworkMode.BRIDGE) networks.detach(c.id(), c.name());
  }

  /** Starts a created or exited container in the background; returns once its process runs (or has ended). */
  public Container start(String nameOrId) {
    Container c = table.resolve(nameOrId);
    if (c.isRunning()) return c;
    runc();
    table.markStarting(c.id()); // a start by the user: the restart policy applies again, counted from 0
    MonitorMain.spawn(root, c.driver(), c.id(), runtimeOverride);
    for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < deadline; ) {
      Container now = table.get(c.id()).orElse(null);
      if (now == null) return c; // --rm, already gone
      if ((now.state() == ContainerState.RUNNING && now.pid() > 0)
          || (now.state() == ContainerState.EXITED && now.finishedAt() != null
              && (c.finishedAt() == null || now.finishedAt().isAfter(c.finishedAt())))) {
        if (now.state() == ContainerState.EXITED && now.exitCode() >= 126 && !now.error().isEmpty()) {
          throw new ExecFailure(now.exitCode() == 128 ? ExecFailure.RUNTIME : now.exitCode(), now.error());
        }
        return now;
      }
      sleep(5);
    }
    throw new FailedPreconditionException("container " + c.shortId() + " did not start within 30s");
  }

  /** Runs a container in the foreground, attached; returns its exit status. */
  public int runAttached(Container c, Attach attach) {
    table.journal(c.id(), "attach", Map.of());
    Monitor.Ended ended = new Monitor(this, snapshotterFor(c), table, runc()).run(c, attach);
    if (ended.restarting()) handOver(c.id());
    return ended.status();
  }

  /**
   * As Docker: a foreground run returns the first exit status and a restart policy goes on in the
   * background, under a monitor of its own that this process waits for before it exits.
   */
  private void handOver(String id) {
    long self = ProcessHandle.current().pid();
    Container c = table.get(id).orElseThrow();
    MonitorMain.spawn(root, c.driver(), id, runtimeOverride);
    for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < deadline; sleep(5)) {
      Container now = table.get(id).orElse(null);
      if (now == null || now.monitorPid() != self) return;
    }
  }

  /** Runs the monitor of a detached container in this process (the entry point of {@link MonitorMain}). */
  void runDetached(String id) {
    int backoff = 0;
    while (true) {
      Container c = table.get(id).orElse(null);
      if (c == null) return;
      Instant started = Instant.now();
      Monitor.Ended ended;
      try {
        ended = new Monitor(this, snapshotterFor(c), table, runc()).run(c, c.spec().tty() ? Attach.pty(null, null) : Attach.NONE);
      } catch (ExecFailure notStarted) {
        return; // a start that fails is not retried (Docker restarts only what started)
      }
      if (!ended.restarting()) return;
      // Docker's backoff: doubling from 100 ms, from the start again after a run of 10 s
      backoff = Duration.between(started, Instant.now()).toSeconds() >= 10 ? 0 : backoff + 1;
      sleepUnlessStopped(id, RestartPolicy.backoff(backoff - 1));
      if (table.stopRequested(id)) {
        table.markStoppedWhileRestarting(id);
        return;
      }
    }
  }

  private void sleepUnlessStopped(String id, Duration d) {
    for (long end = System.nanoTime() + d.toNanos(); System.nanoTime() < end && !table.stopRequested(id); ) sleep(20);
  }

  /** Docker's stop: the stop signal, {@code timeout} (null: the container's {@code --stop-timeout}, else 10 s) to exit, then SIGKILL. */
  public Container stop(String nameOrId, Duration timeout) {
    Container c = table.resolve(nameOrId);
    if (timeout == null) timeout = c.spec().options().stopGrace();
    if (!c.isRunning()) return c;
    table.markStopRequested(c.id(), true);
    if (c.state() == ContainerState.RESTARTING) {
      awaitExit(c.id(), Duration.ofSeconds(10));
      return table.get(c.id()).orElse(c);
    }
    if (c.state() == ContainerState.PAUSED) runc().resume(c.id());
    killJournaled(c, c.spec().stopSignalForRuntime());
    if (!awaitExit(c.id(), timeout)) {
      killJournaled(c, "SIGKILL");
      awaitExit(c.id(), Duration.ofSeconds(10));
      reconcile();
    }
    table.journal(c.id(), "stop", Map.of());
    return table.get(c.id()).orElse(c);
  }

  /**
   * Docker's {@code kill} event (the signal's number), then the signal: journaled first, so that it
   * precedes the {@code die} the monitor journals. A signal strata cannot name is left to runc, unjournaled.
   */
  private boolean killJournaled(Container c, String signal) {
    String number = ContainerEvents.signalNumber(signal);
    if (number != null) table.journal(c.id(), "kill", Map.of("signal", number));
    return runc().kill(c.id(), signal);
  }

  public Container kill(String nameOrId, String signal) {
    Container c = table.resolve(nameOrId);
    if (!c.isRunning()) throw new FailedPreconditionException("Cannot kill container: " + c.shortId()
        + ": Container " + c.id() + " is not running");
    if (c.state() == ContainerState.RESTARTING) {
      throw new FailedPreconditionException("Cannot kill container: " + c.shortId() + ": Container " + c.id()
          + " is restarting, wait until the container is running");
    }
    String sig = signal == null || signal.isEmpty() ? "SIGKILL" : signal;
    if (sig.equals("SIGKILL") || sig.equals("KILL") || sig.equals("9")) table.markStopRequested(c.id(), true);
    if (!killJournaled(c, sig)) {
      throw new InvalidArgumentException("Cannot kill container " + c.shortId() + ": invalid signal or not running: " + signal);
    }
    return c;
  }

  private boolean awaitExit(String id, Duration timeout) {
    for (long deadline = System.nanoTime() + timeout.toNanos(); System.nanoTime() < deadline; ) {
      Container now = table.get(id).orElse(null);
      if (now == null || !now.isRunning()) return true;
      if (!monitorAlive(now)) return false;
      sleep(10);
    }
    return false;
  }

  /** Blocks until the container stops; returns its exit status (Docker's {@code wait}). */
  public int await(String nameOrId) {
    Container c = table.resolve(nameOrId);
    while (true) {
      Container now = table.get(c.id()).orElse(null);
      if (now == null) return c.exitCode();
      if (!now.isRunning()) return now.exitCode();
      if (!monitorAlive(now)) {
        reconcile();
        continue;
      }
      sleep(20);
    }
  }

  /** Removes a container; a running one only with {@code force} (it is killed first). Returns its ID. */
  public String remove(String nameOrId, boolean force) {
    return remove(nameOrId, force, false);
  }

  /** As {@link #remove(String, boolean)}; with {@code removeVolumes} ({@code rm -v}) its anonymous volumes go too. */
  public String remove(String nameOrId, boolean force, boolean removeVolumes) {
    Container c = table.resolve(nameOrId);
    if (c.isRunning()) {
      if (!force) {
        throw new FailedPreconditionException("You cannot remove a running container " + c.id()
            + ". Stop the container before attempting removal or force remove");
      }
      table.markStopRequested(c.id(), true);
      if (c.state() == ContainerState.PAUSED) runc().resume(c.id());
      if (c.state() != ContainerState.RESTARTING) killJournaled(c, "SIGKILL");
      if (!awaitExit(c.id(), Duration.ofSeconds(10))) reconcile();
    }
    removeStopped(c.id(), removeVolumes);
    return c.id();
  }

  /** Unmounts, drops the writable layer and the directory, then the row: a crash halfway can be repeated. */
  void removeStopped(String id, boolean removeVolumes) {
    Path dir = dir(id);
    Mounter.unmount(dir.resolve("rootfs"));
    table.get(id).ifPresent(c -> {
      detachNetwork(c);
      snapshotterFor(c).remove(id);
    });
    networks.forget(id);
    volumes.release(id, removeVolumes);
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("remove " + dir, e);
    }
    table.delete(id);
  }

  /** {@code inspect}: Docker's container JSON. */
  public com.fasterxml.jackson.databind.node.ObjectNode inspect(String nameOrId) {
    Container c = table.resolve(nameOrId);
    return ContainerInspect.of(c, dir(c.id()), snapshotterFor(c), networks, volumes);
  }

  /** Docker's {@code logs} options: {@code --follow}, {@code --tail} (-1: all), {@code --since}, {@code --until} (null: none). */
  public record LogOptions(boolean follow, int tail, Instant since, Instant until) {}

  /**
   * Replays the container's log into {@code sink}: the lines in [since, until), the last
   * {@code tail} of them; with {@code follow}, then new lines until the container stops (or a line
   * is past {@code until}).
   */
  public void logs(String nameOrId, LogOptions o, LogSink sink) {
    Container c = table.resolve(nameOrId);
    java.util.ArrayDeque<Object[]> held = new java.util.ArrayDeque<>();
    boolean[] live = {o.tail() < 0};
    JsonLog.read(JsonLog.file(dir(c.id()), c.id()), (stream, text, time) -> {
      if (o.since() != null && time.isBefore(o.since())) return;
      if (o.until() != null && !time.isBefore(o.until())) return;
      if (live[0]) {
        sink.accept(stream, text, time);
        return;
      }
      held.addLast(new Object[] {stream, text, time});
      if (held.size() > o.tail()) held.removeFirst();
    }, o.follow(), () -> {
      Container now = table.get(c.id()).orElse(null);
      return now == null || !now.isRunning() || !monitorAlive(now) || (o.until() != null && Instant.now().isAfter(o.until()));
    }, () -> {
      for (Object[] e : held) sink.accept((String) e[0], (String) e[1], (Instant) e[2]);
      held.clear();
      live[0] = true;
    });
  }

  /** Receives log lines: the stream ({@code stdout} or {@code stderr}), the text with its newline, its time. */
  public interface LogSink {
    void accept(String stream, String text, Instant time);
  }

  /**
   * {@code stats}: the counters of a running or paused container, read from its cgroup now;
   * {@link StatsSample#NONE} for one that does not run (or ended meanwhile). With the host's network
   * a container has no interfaces of its own, and Docker counts none.
   */
  public StatsSample stats(Container c) {
    boolean live = c.state() == ContainerState.RUNNING || c.state() == ContainerState.PAUSED;
    if (!live || c.pid() <= 0) return StatsSample.NONE;
    try {
      return CgroupStats.read(c.pid(), NetworkMode.parse(c.spec().network()) != NetworkMode.HOST);
    } catch (IOException e) {
      if (ProcessHandle.of(c.pid()).isEmpty()) return StatsSample.NONE;
      throw new io.strata.errdefs.UnavailableException("stats of " + c.shortId() + ": " + e.getMessage(), e);
    }
  }

  /** The bytes in the container's writable layer ({@code ps -s}). */
  public long writableSize(String id) {
    Container c = table.get(id).orElse(null);
    return c != null && snapshotterFor(c).get(id).isPresent() ? snapshotterFor(c).usage(id) : 0;
  }

  /** The containers part of {@code system df}: writable layers' bytes, those of stopped containers reclaimable. */
  public record Usage(int total, int running, long bytes, long reclaimable) {}

  public Usage diskUsage() {
    int total = 0;
    int running = 0;
    long bytes = 0;
    long reclaimable = 0;
    for (Container c : table.list()) {
      long size = snapshotterFor(c).get(c.id()).isPresent() ? snapshotterFor(c).usage(c.id()) : 0;
      total++;
      bytes += size;
      if (c.isRunning()) running++;
      else reclaimable += size;
    }
    return new Usage(total, running, bytes, reclaimable);
  }

  public List<Container> list() {
    return table.list();
  }

  public Container get(String nameOrId) {
    return table.resolve(nameOrId);
  }

  /**
   * A crash's leftovers: a running container whose monitor is gone is killed and marked exited
   * (255), mounts of containers not running are removed, writable layers without a container go.
   */
  public void reconcile() {
    for (Container c : table.list()) {
      if (c.isRunning() && !monitorAlive(c)) {
        Runc r = runcOrNull();
        if (r != null) r.delete(c.id());
        Mounter.unmount(dir(c.id()).resolve("rootfs"));
        table.markExited(c.id(), 255, "strata: the container's monitor exited unexpectedly", Instant.now());
      }
    }
    // each container's state is read again just before its leftovers go: a monitor starting it
    // meanwhile marked it running before it mounted or attached anything
    java.util.function.Predicate<String> running = id -> table.get(id).map(Container::isRunning).orElse(false);
    networks.reconcile(running, id -> table.get(id).map(Container::name).orElse(id));
    for (Path p : Mounter.mountedUnder(root.resolve("containers"))) {
      Path rel = root.resolve("containers").relativize(p);
      if (rel.getNameCount() >= 1 && !running.test(rel.getName(0).toString())) Mounter.unmount(p);
    }
  }

  /**
   * What a Docker daemon does when it starts, for a host that has just booted (strata has no daemon
   * to do it): after {@link #reconcile}, starts each stopped container that was started before and
   * whose policy restarts it — {@code always} even when the user stopped it, {@code unless-stopped}
   * unless the user did, {@code on-failure} after a non-zero exit (a container running at the crash
   * or shutdown is exited with 255) within its count. Returns the containers started.
   */
  public List<Container> restore() {
    reconcile();
    List<Container> started = new ArrayList<>();
    for (Container c : table.list()) {
      if (c.isRunning() || c.startedAt() == null) continue;
      RestartPolicy policy = c.spec().restartPolicy();
      boolean restarts = policy.name().equals("always")
          || policy.restarts(c.exitCode(), c.restartCount(), table.stopRequested(c.id()));
      if (restarts) started.add(start(c.id()));
    }
    return started;
  }

  private static boolean monitorAlive(Container c) {
    if (c.monitorPid() <= 0) return false;
    return ProcessHandle.of(c.monitorPid()).map(p -> p.isAlive() && p.info().startInstant()
        .map(s -> c.startedAt() == null || !s.isAfter(c.startedAt().plusSeconds(1))).orElse(true)).orElse(false);
  }

  // ---- exec

  /**
   * Runs a further process in a running container with {@code attach}'s streams (or, with
   * {@code inheritTerminal}, this process's own terminal); returns its status.
   */
  public int exec(String nameOrId, List<String> args, ExecOptions options, Attach attach) {
    Container c = table.resolve(nameOrId);
    if (!c.isRunning()) throw new FailedPreconditionException("Container " + c.id() + " is not running");
    Path process = execProcess(c, args, options);
    String execId = HexFormat.of().formatHex(randomBytes());
    String command = String.join(" ", args);
    table.journal(c.id(), "exec_create: " + command, Map.of("execID", execId));
    table.journal(c.id(), "exec_start: " + command, Map.of("execID", execId));
    if (options.detach()) {
      try {
        Process p = runc().exec(c.id(), List.of("--detach", "--process", process.toString()), List.of())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0 ? 0 : ExecFailure.CANNOT_INVOKE;
      } catch (IOException e) {
        throw new UncheckedIOException("exec in " + c.shortId(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 130;
      } finally {
        deleteQuietly(process);
      }
    }
    ProcessBuilder pb = runc().exec(c.id(), List.of("--process", process.toString()), List.of());
    if (attach.inheritTerminal()) pb.inheritIO();
    if (attach.stdin() == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      if (attach.inheritTerminal()) {
        int status = p.waitFor();
        table.journal(c.id(), "exec_die", Map.of("execID", execId, "exitCode", Integer.toString(status)));
        return status;
      }
      Thread in = attach.stdin() == null ? null : Monitor.pump(attach.stdin(), p.getOutputStream());
      Thread out = Monitor.echo(p.getInputStream(), attach.stdout());
      Thread err = Monitor.echo(p.getErrorStream(), attach.stderr());
      int status = p.waitFor();
      out.join();
      err.join();
      if (in != null) in.interrupt();
      table.journal(c.id(), "exec_die", Map.of("execID", execId, "exitCode", Integer.toString(status)));
      return status;
    } catch (IOException e) {
      throw new UncheckedIOException("exec in " + c.shortId(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      deleteQuietly(process);
    }
  }

  /** A health probe: {@code args} run in the container, output kept (the first 4 KiB), killed after {@code timeout}. */
  ContainerHealth.Probe probe(Container c, List<String> args, Duration timeout) {
    Instant start = Instant.now();
    Path process;
    try {
      process = execProcess(c, args, new ExecOptions(false, null, null, List.of()));
    } catch (ExecFailure | InvalidArgumentException e) {
      return new ContainerHealth.Probe(start, Instant.now(), -1, e.getMessage());
    }
    try {
      Process p = runc().exec(c.id(), List.of("--process", process.toString()), List.of())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true).start();
      java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          byte[] head = p.getInputStream().readNBytes(HealthProbe.MAX_OUTPUT);
          p.getInputStream().transferTo(OutputStream.nullOutputStream());
          return head;
        } catch (IOException e) {
          return new byte[0];
        }
      }, Thread::startVirtualThread);
      if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new ContainerHealth.Probe(start, Instant.now(), -1,
            "Health check exceeded timeout (" + io.strata.oci.GoDuration.format(timeout) + ")");
      }
      byte[] bytes = out.get(5, java.util.concurrent.TimeUnit.SECONDS);
      return new ContainerHealth.Probe(start, Instant.now(), p.exitValue(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return new ContainerHealth.Probe(start, Instant.now(), -1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ContainerHealth.Probe(start, Instant.now(), -1, "interrupted");
    } finally {
      deleteQuietly(process);
    }
  }

  /** The process.json of an exec: the container's settings with the exec's command, user, directory and env. */
  private Path execProcess(Container c, List<String> args, ExecOptions options) {
    Path rootfs = dir(c.id()).resolve("rootfs");
    ContainerSettings s = settings(c);
    List<String> env = new ArrayList<>(s.env());
    env.addAll(options.env());
    String user = options.user() == null || options.user().isEmpty() ? s.user() : options.user();
    String cwd = options.workingDir() == null || options.workingDir().isEmpty() ? s.workingDir() : options.workingDir();
    ContainerSettings exec = new ContainerSettings(args, env, cwd, user, s.hostname(), s.readOnlyRootfs(), options.tty(),
        s.network(), List.of(), List.of(), Map.of()).withHost(s.host()); // Docker's exec: the container's privileges
    try {
      ExecCheck.checkDirectory(rootfs, BundleWriter.workdir(exec)); // runc changes directory before it looks up the command
      ExecCheck.check(rootfs, args, env, BundleWriter.workdir(exec));
    } catch (ExecFailure e) {
      // Docker's one line for an exec the runtime cannot start, and its status 126
      throw new ExecFailure(ExecFailure.CANNOT_INVOKE, "OCI runtime exec failed: exec failed: unable to start container process: "
          + e.getMessage() + ": unknown");
    }
    return BundleWriter.writeProcess(dir(c.id()).resolve("exec-" + UUID.randomUUID() + ".json"), exec,
        UserResolver.resolve(rootfs, user, s.host().groupAdd()));
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // the container's directory goes with the container
    }
  }

  /** {@code exec}'s flags; {@code detach} ({@code -d}) starts the process and returns at once. */
  public record ExecOptions(boolean tty, String user, String workingDir, List<String> env, boolean detach) {
    public ExecOptions(boolean tty, String user, String workingDir, List<String> env) {
      this(tty, user, workingDir, env, false);
    }

    public ExecOptions {
      env = env == null ? List.of() : List.copyOf(env);
    }
  }

  // ---- the writable layer

  public List<Change> diff(String nameOrId) {
    Container c = table.resolve(nameOrId);
    return snapshotterFor(c).changes(c.id());
  }

  /** Docker's commit: the container's changes as a new layer on its image; paused meanwhile when asked. */
  public Digest commit(String nameOrId, CommitOptions options) {
    Container c = table.resolve(nameOrId);
    Image image = images.resolve(c.imageId().toString());
    boolean pause = options.pause() && c.state() == ContainerState.RUNNING;
    if (pause) runc().pause(c.id());
    try {
      Snapshotter s = snapshotterFor(c);
      List<Change> changes = s.changes(c.id());
      ContainerConfig config = c.spec().toImageConfig(image.config().value().configOrEmpty());
      String createdBy = String.join(" ", c.spec().args());
      Digest id = images.commit(image, out -> s.writeLayer(c.id(), changes, out, io.strata.layer.WriteOptions.defaults()),
          new CommitRequest(config, options.changes(), options.author(), options.message(), createdBy, options.reference()));
      Map<String, String> attributes = new LinkedHashMap<>(Map.of("comment", options.message() == null ? "" : options.message(),
          "imageID", id.toString()));
      if (options.reference() != null && !options.reference().isEmpty()) attributes.put("imageRef", options.reference());
      table.journal(c.id(), "commit", attributes);
      return id;
    } finally {
      if (pause) runc().resume(c.id());
    }
  }

  public record CommitOptions(String message, String author, List<String> changes, boolean pause, String reference) {}

  /** The container's merged filesystem as a tar (Docker's {@code export}). */
  public void export(String nameOrId, OutputStream out) {
    withRoot(table.resolve(nameOrId), rootfs -> new io.strata.layer.TarWriter().writeTree(rootfs, out,
        io.strata.layer.WriteOptions.defaults()));
  }

  /** Runs {@code action} on the container's merged root: its live mount, or a temporary one when it is stopped. */
  void withRoot(Container c, Consumer<Path> action) {
    Path rootfs = dir(c.id()).resolve("rootfs");
    if (c.isRunning() && Mounter.isMounted(rootfs)) action.accept(rootfs);
    else Mounter.withMounted(snapshotterFor(c).mounts(c.id()), rootfs, action);
  }

  /** Unpacks image layers into this store's snapshots (a pull unpacks as it downloads). */
  public Unpacker unpacker() {
    return new Unpacker(store.content(), snapshotter, ApplyOptions.defaults());
  }

  /** The writable layers of build steps, on this snapshotter and runtime. */
  public BuildSteps buildSteps() {
    return new BuildSteps(store, snapshotter, runc(), networks);
  }

  public CopyPaths copies() {
    return new CopyPaths(this, table);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FailedPreconditionException("interrupted");
    }
  }
}
