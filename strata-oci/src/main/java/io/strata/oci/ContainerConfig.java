package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The runtime defaults of an image ({@code config} of the image config), with Docker's capitalised
 * JSON names. Empty values are not written, as Go's {@code omitempty} does; Docker-only fields of
 * old configs (Hostname, Image, ...) are not kept here, the parsed bytes keep them.
 * {@code exposedPorts} and {@code volumes} are string sets: every value is an empty object.
 */
@JsonPropertyOrder({"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels", "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ContainerConfig(
    @JsonProperty("User") String user,
    @JsonProperty("Env") List<String> env,
    @JsonProperty("Entrypoint") List<String> entrypoint,
    @JsonProperty("Cmd") List<String> cmd,
    @JsonProperty("WorkingDir") String workingDir,
    @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
    @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
    @JsonProperty("Labels") Map<String, String> labels,
    @JsonProperty("StopSignal") String stopSignal,
    @JsonProperty("Healthcheck") Healthcheck healthcheck,
    @JsonProperty("OnBuild") List<String> onBuild,
    @JsonProperty("Shell") List<String> shell,
    @JsonProperty("ArgsEscaped") Boolean argsEscaped) {

  private static final ContainerConfig EMPTY =
      new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);

  public ContainerConfig {
    env = Values.list(env, "config Env");
    entrypoint = Values.list(entrypoint, "config Entrypoint");
    cmd = Values.list(cmd, "config Cmd");
    exposedPorts = Values.set(exposedPorts, "config ExposedPorts");
    volumes = Values.set(volumes, "config Volumes");
    labels = Values.map(labels, "config Labels");
    onBuild = Values.list(onBuild, "config OnBuild");
    shell = Values.list(shell, "config Shell");
  }

  /** A config with no field set. */
  public static ContainerConfig empty() {
    return EMPTY;
  }

  public ContainerConfig withUser(String user) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withEnv(List<String> env) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withEntrypoint(List<String> entrypoint) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withCmd(List<String> cmd) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withWorkingDir(String workingDir) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withExposedPorts(Map<String, Map<String, Object>> exposedPorts) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withVolumes(Map<String, Map<String, Object>> volumes) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withLabels(Map<String, String> labels) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withStopSignal(String stopSignal) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withHealthcheck(Healthcheck healthcheck) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withOnBuild(List<String> onBuild) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withShell(List<String> shell) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }

  public ContainerConfig withArgsEscaped(Boolean argsEscaped) {
    return new ContainerConfig(user, env, entrypoint, cmd, workingDir, exposedPorts, volumes, labels, stopSignal, healthcheck, onBuild, shell, argsEscaped);
  }
}
