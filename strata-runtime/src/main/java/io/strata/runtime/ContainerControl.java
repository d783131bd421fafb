package io.strata.runtime;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The lifecycle commands beyond start and stop, as Docker has them: {@code restart}, {@code pause},
 * {@code unpause}, {@code rename}, {@code top}, {@code container prune}.
 */
public final class ContainerControl {
  private final Containers containers;
  private final ContainerStore table;

  ContainerControl(Containers containers, ContainerStore table) {
    this.containers = containers;
    this.table = table;
  }

  /** Docker's restart: stop (the grace period, then SIGKILL), then start. */
  public Container restart(String nameOrId, Duration timeout) {
    Container c = containers.stop(nameOrId, timeout);
    Container started = containers.start(c.id());
    table.journal(c.id(), "restart", Map.of());
    return started;
  }

  public void pause(String nameOrId) {
    Container c = table.resolve(nameOrId);
    if (c.state() == ContainerState.PAUSED) throw new FailedPreconditionException("Container " + c.id() + " is already paused");
    if (c.state() != ContainerState.RUNNING) throw new FailedPreconditionException("Container " + c.id() + " is not running");
    containers.runc().pause(c.id());
    table.markState(c.id(), ContainerState.PAUSED);
    table.journal(c.id(), "pause", Map.of());
  }

  public void unpause(String nameOrId) {
    Container c = table.resolve(nameOrId);
    if (c.state() != ContainerState.PAUSED) throw new FailedPreconditionException("Container " + c.id() + " is not paused");
    containers.runc().resume(c.id());
    table.markState(c.id(), ContainerState.RUNNING);
    table.journal(c.id(), "unpause", Map.of());
  }

  /** A new name; on a user network the new name resolves from the container's next start. */
  public void rename(String nameOrId, String newName) {
    Container c = table.resolve(nameOrId);
    String name = newName.startsWith("/") ? newName.substring(1) : newName;
    ContainerNames.check(name);
    if (name.equals(c.name())) {
      throw new InvalidArgumentException("Renaming a container with the same name as its current name");
    }
    table.rename(c.id(), name);
    table.journal(c.id(), "rename", Map.of("oldName", "/" + c.name()));
  }

  /** {@code top}: the host's {@code ps} lines (default {@code -ef}) of the container's processes, header first. */
  public List<String> top(String nameOrId, List<String> psArgs) {
    Container c = table.resolve(nameOrId);
    if (c.state() != ContainerState.RUNNING && c.state() != ContainerState.PAUSED) {
      throw new FailedPreconditionException("Container " + c.id() + " is not running");
    }
    Set<String> pids = new HashSet<>(containers.runc().pids(c.id()));
    List<String> cmd = new ArrayList<>(List.of("ps"));
    cmd.addAll(psArgs.isEmpty() ? List.of("-ef") : psArgs);
    String out = run(cmd);
    List<String> lines = out.lines().toList();
    if (lines.isEmpty()) return lines;
    String[] header = lines.getFirst().trim().split("\\s+");
    int pidColumn = List.of(header).indexOf("PID");
    if (pidColumn < 0) throw new InvalidArgumentException("Couldn't find PID field in ps output");
    List<String> result = new ArrayList<>(List.of(lines.getFirst()));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length > pidColumn && pids.contains(f[pidColumn])) result.add(line);
    }
    return result;
  }

  /** Docker's {@code update}: new limits and restart policy, applied at once to a running container. */
  public Container update(String nameOrId, UpdateRequest request) {
    return new ContainerUpdate(containers, table).update(nameOrId, request);
  }

  /** {@code container prune}: every container not running is removed; returns their IDs. */
  public List<String> prune() {
    List<String> gone = new ArrayList<>();
    for (Container c : table.list()) {
      if (c.isRunning()) continue;
      containers.remove(c.id(), false);
      gone.add(c.id());
    }
    return gone;
  }

  private static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readNBytes(4 << 20), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UnavailableException("ps timed out", null);
      }
      if (p.exitValue() != 0) throw new InvalidArgumentException("ps: " + out.strip());
      return out;
    } catch (IOException e) {
      throw new UnavailableException("ps: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
    }
  }
}
