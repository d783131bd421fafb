package io.strata.runtime;

import io.strata.oci.Digest;
import java.nio.file.Path;
import java.time.Instant;

/** A container as stored: identity, image, how it was created, and its last known state. */
public record Container(
    String id,
    String name,
    Digest imageId,
    String imageRef,
    String driver,
    Instant created,
    ContainerSpec spec,
    ContainerState state,
    long pid,
    long monitorPid,
    int exitCode,
    String error,
    Instant startedAt,
    Instant finishedAt,
    int restartCount,
    ContainerHealth health) {

  Container withName(String name) {
    return new Container(id, name, imageId, imageRef, driver, created, spec, state, pid, monitorPid, exitCode, error,
        startedAt, finishedAt, restartCount, health);
  }
  Container withSpec(ContainerSpec spec) {
    return new Container(id, name, imageId, imageRef, driver, created, spec, state, pid, monitorPid, exitCode, error,
        startedAt, finishedAt, restartCount, health);
  }

  public String shortId() {
    return id.substring(0, 12);
  }

  public boolean isRunning() {
    return state == ContainerState.RUNNING || state == ContainerState.PAUSED || state == ContainerState.RESTARTING;
  }

  /** The container's directory: bundle (config.json, hosts, resolv.conf, hostname), logs, rootfs mount point. */
  public static Path dir(Path storeRoot, String id) {
    return storeRoot.resolve("containers").resolve(id);
  }
}
