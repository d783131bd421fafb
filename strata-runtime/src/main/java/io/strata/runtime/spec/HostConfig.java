package io.strata.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.errdefs.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fields of Docker's HostConfig that shape the process and its limits: {@code --cap-add},
 * {@code --cap-drop}, {@code --privileged}, {@code --security-opt}, {@code --ulimit}, the cgroup
 * {@link Resources}, {@code --device}, {@code --group-add} and {@code --init}. Kept with the container
 * as given (capabilities normalised as the docker CLI does), made into the runtime spec at each start.
 */
public record HostConfig(
    List<String> capAdd,
    List<String> capDrop,
    boolean privileged,
    List<String> securityOpt,
    List<Ulimit> ulimits,
    Resources resources,
    List<DeviceMapping> devices,
    List<String> groupAdd,
    boolean init) {

  public static final HostConfig NONE = new HostConfig(List.of(), List.of(), false, List.of(), List.of(), Resources.NONE,
      List.of(), List.of(), false);

  /** Where {@code --init}'s binary is bound in the container, and what runs first. */
  public static final String INIT_PATH = "/sbin/docker-init";

  /** A static tini on the host, Docker's docker-init (Debian's {@code tini} package, or docker.io's link to it). */
  static final List<String> INIT_BINARIES = List.of("/usr/bin/tini-static", "/usr/bin/docker-init",
      "/usr/libexec/docker/docker-init", "/usr/local/bin/docker-init");

  public HostConfig {
    Capabilities.Requested caps = Capabilities.requested(capAdd == null ? List.of() : capAdd,
        capDrop == null ? List.of() : capDrop);
    capAdd = caps.add();
    capDrop = caps.drop();
    securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
    ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    resources = resources == null ? Resources.NONE : resources;
    devices = devices == null ? List.of() : List.copyOf(devices);
    groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
  }

  /** {@code --security-opt no-new-privileges}. */
  @JsonIgnore
  public boolean noNewPrivileges() {
    return SecurityOpts.noNewPrivileges(securityOpt);
  }

  public HostConfig withResources(Resources r) {
    return new HostConfig(capAdd, capDrop, privileged, securityOpt, ulimits, r, devices, groupAdd, init);
  }

  /** As the daemon keeps it: Docker's adjustments of the resources applied. */
  public HostConfig adapted() {
    return new HostConfig(capAdd, capDrop, privileged, securityOpt, ulimits, resources.adapted(), devices, groupAdd, init);
  }

  /**
   * The daemon's checks, made before a container is created: capability names (and that strata
   * holds those added), the security options, the resources, that each device exists on the host
   * and, with {@code --init}, that there is an init binary to bind.
   */
  public void check() {
    Capabilities.check(capAdd, capDrop);
    SecurityOpts.noNewPrivileges(securityOpt);
    resources.check(Runtime.getRuntime().availableProcessors());
    for (DeviceMapping d : devices) HostDevices.of(d);
    if (init) initBinary();
  }

  /** The host's docker-init (a static tini), bound read-only at {@link #INIT_PATH}. */
  static Path initBinary() {
    for (String p : INIT_BINARIES) {
      if (Files.isExecutable(Path.of(p))) return Path.of(p);
    }
    throw new InvalidArgumentException("--init: no init binary on this host (looked for " + String.join(", ", INIT_BINARIES)
        + "); install the tini package");
  }
}
