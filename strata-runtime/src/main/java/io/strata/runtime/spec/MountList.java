package io.strata.runtime.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The spec's mounts, merged as moby's {@code withMounts} does. */
final class MountList {
  /** The files of the bundle that become the container's, in Docker's order. */
  static final List<String> NETWORK_FILES = List.of("resolv.conf", "hostname", "hosts");

  private MountList() {}

  /**
   * Docker's default mounts, except those a bind replaces (and everything under /dev when /dev
   * itself is bound); then the bundle's network files and the binds, parents before children.
   * The network files are read-only with the rootfs, as in Docker, unless a bind replaces them.
   * With {@code --init} the host's docker-init is bound read-only at /sbin/docker-init.
   */
  static List<SpecMount> of(Path bundleDir, ContainerSettings s) {
    Set<String> bound = s.binds().stream().map(BindMount::destination).collect(Collectors.toCollection(java.util.HashSet::new));
    s.tmpfs().forEach(t -> bound.add(t.destination()));
    List<SpecMount> user = new ArrayList<>();
    for (String f : NETWORK_FILES) {
      if (!bound.contains("/etc/" + f)) {
        user.add(SpecMount.bind(bundleDir.resolve(f).toString(), "/etc/" + f, s.readOnlyRootfs()));
      }
    }
    for (BindMount b : s.binds()) user.add(SpecMount.bind(b.source().toString(), b.destination(), b.readOnly()));
    for (TmpfsMount t : s.tmpfs()) user.add(new SpecMount(t.destination(), "tmpfs", "tmpfs", t.options()));
    if (s.host().init()) user.add(SpecMount.bind(HostConfig.initBinary().toString(), HostConfig.INIT_PATH, true));
    user.sort(Comparator.comparingInt(m -> ContainerPaths.depth(m.destination()))); // stable: equal depths keep their order

    List<SpecMount> mounts = new ArrayList<>();
    for (SpecMount m : DockerDefaults.MOUNTS) {
      boolean underBoundDev = bound.contains("/dev") && m.destination().startsWith("/dev/");
      if (bound.contains(m.destination()) || underBoundDev) continue;
      // privileged: /sys and the cgroup tree writable, as in Docker
      boolean writable = s.host().privileged() && (m.destination().equals("/sys") || m.destination().equals("/sys/fs/cgroup"));
      mounts.add(writable ? new SpecMount(m.destination(), m.type(), m.source(),
          m.options().stream().filter(o -> !o.equals("ro")).toList()) : m);
    }
    mounts.addAll(user);
    return mounts;
  }
}
