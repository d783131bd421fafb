package io.strata.runtime.spec;

import java.util.List;
import java.util.Map;

/**
 * Everything one container start's runtime spec is made from: the image config merged with the
 * flags. {@code workingDir} "" means {@code /}; {@code user} is as written in the image or flag
 * ("", "name", "uid", "uid:gid", "name:group", ...); {@code imageVolumes} are only validated;
 * {@code host} holds the process's privileges, limits and devices ({@link HostConfig#NONE}: Docker's defaults).
 */
public record ContainerSettings(
    List<String> args,
    List<String> env,
    String workingDir,
    String user,
    String hostname,
    boolean readOnlyRootfs,
    boolean terminal,
    NetworkMode network,
    List<BindMount> binds,
    List<TmpfsMount> tmpfs,
    Map<String, Map<String, Object>> imageVolumes,
    NetworkSetup networkSetup,
    HostConfig host) {

  /** Settings without a network set up (none, host, and a build's steps). */
  public ContainerSettings(List<String> args, List<String> env, String workingDir, String user, String hostname,
      boolean readOnlyRootfs, boolean terminal, NetworkMode network, List<BindMount> binds, List<TmpfsMount> tmpfs,
      Map<String, Map<String, Object>> imageVolumes) {
    this(args, env, workingDir, user, hostname, readOnlyRootfs, terminal, network, binds, tmpfs, imageVolumes, NetworkSetup.NONE);
  }

  /** Settings with Docker's default privileges and no limits. */
  public ContainerSettings(List<String> args, List<String> env, String workingDir, String user, String hostname,
      boolean readOnlyRootfs, boolean terminal, NetworkMode network, List<BindMount> binds, List<TmpfsMount> tmpfs,
      Map<String, Map<String, Object>> imageVolumes, NetworkSetup networkSetup) {
    this(args, env, workingDir, user, hostname, readOnlyRootfs, terminal, network, binds, tmpfs, imageVolumes, networkSetup,
        HostConfig.NONE);
  }

  public ContainerSettings withNetworkSetup(NetworkSetup setup) {
    return new ContainerSettings(args, env, workingDir, user, hostname, readOnlyRootfs, terminal, network, binds, tmpfs,
        imageVolumes, setup, host);
  }

  public ContainerSettings withHost(HostConfig h) {
    return new ContainerSettings(args, env, workingDir, user, hostname, readOnlyRootfs, terminal, network, binds, tmpfs,
        imageVolumes, networkSetup, h);
  }

  public ContainerSettings {
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? List.of() : List.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    hostname = hostname == null ? "" : hostname;
    network = network == null ? NetworkMode.NONE : network;
    binds = binds == null ? List.of() : List.copyOf(binds);
    tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
    imageVolumes = imageVolumes == null ? Map.of() : Map.copyOf(imageVolumes);
    networkSetup = networkSetup == null ? NetworkSetup.NONE : networkSetup;
    host = host == null ? HostConfig.NONE : host;
  }
}
