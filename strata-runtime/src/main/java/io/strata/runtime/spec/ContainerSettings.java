package io.strata.runtime.spec;

import java.util.List;
import java.util.Map;

/** Everything the runtime-spec of one container start is made from. */
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
    Map<String, Map<String, Object>> imageVolumes) {

  public ContainerSettings {
    args = List.copyOf(args);
    env = List.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    binds = List.copyOf(binds);
    imageVolumes = imageVolumes == null ? Map.of() : Map.copyOf(imageVolumes);
  }
}
