package io.strata.runtime;

import io.strata.snapshot.Mounter;
import io.strata.snapshot.Snapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Runs one start of a container to its end, as containerd's shim does: mounts the root, writes the
 * bundle, runs {@code runc run} in the foreground with the output copied to the json log (and to
 * the caller when attached), records the exit status, unmounts, and removes an {@code --rm}
 * container. A foreground {@code run} is its own monitor; {@code start} and {@code run -d} spawn
 * {@link MonitorMain} in its own session.
 */
final class Monitor {
  private final Containers containers;
  private final Snapshotter snapshotter;
  private final ContainerStore store;
  private final Runc runc;

  Monitor(Containers containers, Snapshotter snapshotter, ContainerStore store, Runc runc) {
    this.containers = containers;
    this.snapshotter = snapshotter;
    this.store = store;
    this.runc = runc;
  }

  /** How a start ended: the exit status, and whether the restart policy restarts the container. */
  record Ended(int status, boolean restarting) {}

  /** Runs the container to its end. Throws {@link ExecFailure} when it could not start (never restarted). */
  Ended run(Container c, Attach attach) {
    Path dir = containers.dir(c.id());
    Path rootfs = dir.resolve("rootfs");
    Path pidFile = Runc.pidFile(dir);
    Process process;
    try {
      // running (with this monitor) before anything is mounted or attached: a concurrent
      // reconcile then leaves what this start sets up alone
      store.markRunning(c.id(), 0, ProcessHandle.current().pid(), Instant.now());
      Files.createDirectories(rootfs);
      Mounter.mount(snapshotter.mounts(c.id()), rootfs);
      containers.populateVolumes(c, rootfs);
      Runc.prepareBundle(dir, rootfs, containers.attachNetwork(c, containers.settings(c)));
      ProcessBuilder pb = attach.allocatePty() ? runc.runInPty(c.id(), dir) : runc.run(c.id(), dir);
      if (attach.inheritTerminal()) {
        pb.inheritIO();
      } else if (attach.stdin() == null && !attach.allocatePty()) {
        // (a pty's input stays an open pipe: at the end of its input script would type a control character into it)
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      process = pb.start();
    } catch (ExecFailure e) {
      finish(c, e.exitCode() == ExecFailure.RUNTIME ? 128 : e.exitCode(), e.getMessage(), RestartPolicy.NO);
      throw e;
    } catch (IOException | RuntimeException e) {
      String msg = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause().getMessage() : e.getMessage();
      finish(c, 128, msg, RestartPolicy.NO);
      throw new ExecFailure(ExecFailure.RUNTIME, msg);
    }
    java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    Thread pid = Thread.ofVirtual().start(() -> started.set(recordPid(c.id(), pidFile, process)));
    Thread health = Thread.ofVirtual().start(() -> new HealthProbe(containers, store).watch(c.id(), c.spec().healthcheck(),
        process::isAlive));
    Thread in = attach.stdin() == null || attach.inheritTerminal() ? null : pump(attach.stdin(), process.getOutputStream());
    int status;
    try (JsonLog log = new JsonLog(JsonLog.file(dir, c.id()))) {
      Thread out = attach.inheritTerminal() ? null : copy(process.getInputStream(), "stdout", log, attach.stdout());
      Thread err = attach.inheritTerminal() ? null : copy(process.getErrorStream(), "stderr", log, attach.stderr());
      status = waitFor(process);
      join(out);
      join(err);
    }
    if (in != null) in.interrupt();
    if (attach.allocatePty() && attach.stdin() == null) {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // it ended
      }
    }
    join(pid);
    health.interrupt();
    join(health);
    ExecFailure notStarted = Runc.startFailure(dir, status);
    if (notStarted == null && !started.get()) store.journal(c.id(), "start", java.util.Map.of()); // ended before its pid was seen
    boolean restarting = finish(c, notStarted == null ? status : 128, notStarted == null ? "" : notStarted.getMessage(),
        notStarted == null ? restartPolicy(c) : RestartPolicy.NO);
    if (notStarted != null) throw notStarted;
    return new Ended(status, restarting);
  }

  /** The policy as kept now: {@code update --restart} may have changed it while the container ran. */
  private RestartPolicy restartPolicy(Container c) {
    return store.get(c.id()).map(now -> now.spec().restartPolicy()).orElse(c.spec().restartPolicy());
  }

  /** Once runc has started the process it writes its pid; the state then says running with that pid. Returns whether it did. */
  private boolean recordPid(String id, Path pidFile, Process runcProcess) {
    for (int i = 0; i < 6000 && runcProcess.isAlive(); i++) {
      try {
        if (Files.exists(pidFile)) {
          String s = Files.readString(pidFile).strip();
          if (!s.isEmpty()) {
            store.markRunning(id, Long.parseLong(s), ProcessHandle.current().pid(), Instant.now());
            return true;
          }
        }
        Thread.sleep(5);
      } catch (IOException | NumberFormatException e) {
        // written but not complete yet
      } catch (InterruptedException e) {
        return false;
      }
    }
    return false;
  }

  private boolean finish(Container c, int status, String error, RestartPolicy policy) {
    runc.delete(c.id());
    try {
      containers.detachNetwork(c);
    } catch (RuntimeException e) {
      // the next command's reconcile tears down what is left
    }
    Mounter.unmount(containers.dir(c.id()).resolve("rootfs"));
    boolean restarting = store.markEnded(c.id(), status, error, Instant.now(), policy);
    if (c.spec().autoRemove()) containers.removeStopped(c.id(), true); // --rm: with its anonymous volumes, as Docker
    return restarting;
  }

  private static int waitFor(Process p) {
    while (true) {
      try {
        return p.waitFor();
      } catch (InterruptedException e) {
        // the monitor outlives interruptions: the exit status must be recorded
      }
    }
  }

  private static Thread copy(InputStream from, String stream, JsonLog log, OutputStream echo) {
    return Thread.ofVirtual().start(() -> {
      try {
        byte[] buf = new byte[8192];
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        for (int n; (n = from.read(buf)) > 0; ) {
          if (echo != null) {
            echo.write(buf, 0, n);
            echo.flush();
          }
          for (int i = 0; i < n; i++) {
            line.write(buf[i]);
            if (buf[i] == '\n') {
              log.write(stream, line.toString(StandardCharsets.UTF_8));
              line.reset();
            }
          }
        }
        if (line.size() > 0) log.write(stream, line.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the process is gone; what was read is logged
      }
    });
  }

  /** Feeds {@code from} into a process's stdin, closed at the end so the process sees end of input. */
  static Thread pump(InputStream from, OutputStream to) {
    return Thread.ofVirtual().start(() -> {
      try (to) {
        from.transferTo(to);
      } catch (IOException e) {
        // the container closed its stdin
      }
    });
  }

  /** Echoes a process's output stream {@code from} to {@code to}, which stays open. */
  static Thread echo(InputStream from, OutputStream to) {
    return Thread.ofVirtual().start(() -> {
      try (from) {
        from.transferTo(to);
        to.flush();
      } catch (IOException e) {
        // the process is gone
      }
    });
  }

  private static void join(Thread t) {
    if (t == null) return;
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
