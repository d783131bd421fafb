package io.strata.runtime;

import io.strata.oci.ContainerConfig;
import java.util.List;
import java.util.Map;

/**
 * How a container was created, kept with it (the {@code config} column): the image's runtime
 * config merged with the flags of {@code create}/{@code run}, as Docker's Config and HostConfig.
 * {@code binds} are the {@code -v} flags as typed (HostConfig.Binds); {@code mounts} what is mounted,
 * the image's volumes included (a container of an older store has only {@code binds}); {@code options}
 * the privileges, limits and devices of the process and the stop timeout.
 */
public record ContainerSpec(
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    String hostname,
    boolean tty,
    boolean openStdin,
    boolean readOnly,
    String network,
    List<String> binds,
    boolean autoRemove,
    Map<String, String> labels,
    String stopSignal,
    Map<String, Map<String, Object>> volumes,
    Networking networking,
    List<String> exposedPorts,
    List<MountPoint> mounts,
    RunOptions runOptions,
    io.strata.oci.Healthcheck healthcheck,
    ContainerOptions options) {

  public ContainerSpec {
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    binds = binds == null ? List.of() : List.copyOf(binds);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    volumes = volumes == null ? Map.of() : Map.copyOf(volumes);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    networking = networking == null ? Networking.NONE : networking;
    exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    runOptions = runOptions == null ? RunOptions.DEFAULT : runOptions;
    options = options == null ? ContainerOptions.DEFAULT : options;
    network = network == null || network.isEmpty() ? "none" : network; // a container of an older store
  }

  ContainerSpec withMounts(List<MountPoint> m) {
    return new ContainerSpec(entrypoint, cmd, env, workingDir, user, hostname, tty, openStdin, readOnly, network, binds, autoRemove,
        labels, stopSignal, volumes, networking, exposedPorts, m, runOptions, healthcheck, options);
  }

  /** With other limits ({@code update}) and restart policy: {@code runOptions} null keeps the policy. */
  ContainerSpec withUpdate(ContainerOptions o, RunOptions r) {
    return new ContainerSpec(entrypoint, cmd, env, workingDir, user, hostname, tty, openStdin, readOnly, network, binds, autoRemove,
        labels, stopSignal, volumes, networking, exposedPorts, mounts, r == null ? runOptions : r, healthcheck, o);
  }

  /** {@code stop}'s signal: the container's (STOPSIGNAL, {@code --stop-signal}) or SIGTERM, as a number when Docker knows its name. */
  String stopSignalForRuntime() {
    if (stopSignal == null || stopSignal.isEmpty()) return "SIGTERM";
    try {
      return Integer.toString(Signals.parse(stopSignal));
    } catch (io.strata.errdefs.InvalidArgumentException e) {
      return stopSignal; // an older container's: runc judges it
    }
  }

  public RestartPolicy restartPolicy() {
    return RestartPolicy.parse(runOptions.restart());
  }

  /** The process's argv: Entrypoint then Cmd. */
  public List<String> args() {
    List<String> all = new java.util.ArrayList<>(entrypoint);
    all.addAll(cmd);
    return all;
  }

  /** The runtime config a commit of this container starts from (Docker commits the container's Config). */
  public ContainerConfig toImageConfig(ContainerConfig image) {
    return new ContainerConfig(user.isEmpty() ? null : user, env, entrypoint.isEmpty() ? null : entrypoint,
        cmd.isEmpty() ? null : cmd, workingDir.isEmpty() ? null : workingDir, image.exposedPorts(), image.volumes(),
        labels.isEmpty() ? null : labels, stopSignal, image.healthcheck(), image.onBuild(), image.shell(), null);
  }
}
