package io.strata.runtime;

import java.util.List;

/**
 * The flags of {@code create} and {@code run}. {@code entrypoint} null keeps the image's (an empty
 * list clears it, as {@code --entrypoint ""} does); {@code cmd} empty keeps the image's Cmd unless
 * an entrypoint was given. {@code env} entries are KEY=VALUE and override the image's. {@code network} is Docker's
 * {@code --network}: bridge (the default), none, host or a user network's name. {@code options} are the
 * privileges, limits, devices, labels and stop settings ({@link ContainerOptions}).
 */
public record CreateRequest(
    String image,
    String name,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    String hostname,
    boolean tty,
    boolean interactive,
    boolean readOnly,
    String network,
    List<String> binds,
    boolean autoRemove,
    Networking networking,
    MountRequest mountFlags,
    RunOptions runOptions,
    ContainerOptions options) {

  /** With Docker's default privileges, no limits, no labels. */
  public CreateRequest(String image, String name, List<String> entrypoint, List<String> cmd, List<String> env,
      String workingDir, String user, String hostname, boolean tty, boolean interactive, boolean readOnly, String network,
      List<String> binds, boolean autoRemove, Networking networking, MountRequest mountFlags, RunOptions runOptions) {
    this(image, name, entrypoint, cmd, env, workingDir, user, hostname, tty, interactive, readOnly, network, binds, autoRemove,
        networking, mountFlags, runOptions, ContainerOptions.DEFAULT);
  }

  /** Without run options. */
  public CreateRequest(String image, String name, List<String> entrypoint, List<String> cmd, List<String> env,
      String workingDir, String user, String hostname, boolean tty, boolean interactive, boolean readOnly, String network,
      List<String> binds, boolean autoRemove, Networking networking, MountRequest mountFlags) {
    this(image, name, entrypoint, cmd, env, workingDir, user, hostname, tty, interactive, readOnly, network, binds, autoRemove,
        networking, mountFlags, RunOptions.DEFAULT);
  }

  /** Without mount flags beyond {@code -v}. */
  public CreateRequest(String image, String name, List<String> entrypoint, List<String> cmd, List<String> env,
      String workingDir, String user, String hostname, boolean tty, boolean interactive, boolean readOnly, String network,
      List<String> binds, boolean autoRemove, Networking networking) {
    this(image, name, entrypoint, cmd, env, workingDir, user, hostname, tty, interactive, readOnly, network, binds, autoRemove,
        networking, MountRequest.NONE);
  }

  /** Without network flags. */
  public CreateRequest(String image, String name, List<String> entrypoint, List<String> cmd, List<String> env,
      String workingDir, String user, String hostname, boolean tty, boolean interactive, boolean readOnly, String network,
      List<String> binds, boolean autoRemove) {
    this(image, name, entrypoint, cmd, env, workingDir, user, hostname, tty, interactive, readOnly, network, binds, autoRemove,
        Networking.NONE);
  }

  public CreateRequest {
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    binds = binds == null ? List.of() : List.copyOf(binds);
    network = network == null || network.isEmpty() ? "bridge" : network;
    networking = networking == null ? Networking.NONE : networking;
    mountFlags = mountFlags == null ? MountRequest.NONE : mountFlags;
    runOptions = runOptions == null ? RunOptions.DEFAULT : runOptions;
    options = options == null ? ContainerOptions.DEFAULT : options;
  }
}
