package io.strata.runtime;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.ContainerConfig;
import io.strata.runtime.MountPoint.Type;
import io.strata.runtime.spec.BindMount;
import io.strata.runtime.spec.TmpfsMount;
import io.strata.runtime.volume.Volume;
import io.strata.runtime.volume.VolumeMount;
import io.strata.runtime.volume.Volumes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's mounts, as Docker makes them: {@code --volumes-from} first, then the image's
 * VOLUMEs (anonymous volumes, a relative path taken from {@code /}), each replaced by a flag's mount
 * at the same path; {@code -v}, {@code --mount} and {@code --tmpfs} may not name one path twice.
 * Named volumes are made on first use; a {@code -v} host path that is missing is made, as Docker does.
 */
final class ContainerMounts {
  private final Volumes volumes;
  private final ContainerStore table;

  ContainerMounts(Volumes volumes, ContainerStore table) {
    this.volumes = volumes;
    this.table = table;
  }

  /** The mounts of a new container, checked; nothing is made yet (see {@link #realize}). */
  List<MountPoint> plan(ContainerConfig image, CreateRequest req) {
    Map<String, MountPoint> byPath = new LinkedHashMap<>();
    for (String from : req.mountFlags().volumesFrom()) {
      String[] p = from.split(":", -1);
      if (p.length > 2 || (p.length == 2 && !p[1].equals("ro") && !p[1].equals("rw"))) {
        throw new InvalidArgumentException("invalid mode for volumes-from: " + from);
      }
      Container source = table.resolve(p[0]);
      for (MountPoint m : source.spec().mounts()) {
        if (m.type() == Type.TMPFS) continue;
        byPath.put(m.destination(), p.length == 2 ? m.withReadOnly(p[1].equals("ro")) : m);
      }
    }
    if (image.volumes() != null) {
      for (String v : image.volumes().keySet()) {
        String dest = io.strata.runtime.spec.ContainerPaths.absoluteNoDotDot(v.startsWith("/") ? v : "/" + v, "volume path");
        byPath.putIfAbsent(dest, new MountPoint(Type.VOLUME, "", dest, false, false, List.of()));
      }
    }
    Map<String, MountPoint> flags = new LinkedHashMap<>();
    List<MountPoint> given = new ArrayList<>();
    for (String v : req.binds()) given.add(MountFlags.volume(v));
    for (String m : req.mountFlags().mounts()) given.add(MountFlags.mount(m));
    for (String t : req.mountFlags().tmpfs()) given.add(MountFlags.tmpfs(t));
    for (MountPoint m : given) {
      if (flags.put(m.destination(), m) != null) throw new InvalidArgumentException("Duplicate mount point: " + m.destination());
    }
    byPath.putAll(flags);
    return List.copyOf(byPath.values());
  }

  /**
   * Makes what the planned mounts need: named volumes not yet there, one anonymous volume for each
   * unnamed one, missing {@code -v} host directories. Returns the mounts with every volume named.
   */
  List<MountPoint> realize(List<MountPoint> planned) {
    List<MountPoint> out = new ArrayList<>();
    for (MountPoint m : planned) {
      if (m.type() == Type.VOLUME) {
        Volume v = m.source().isEmpty() ? volumes.create(null, null, Map.of(), Map.of())
            : volumes.exists(m.source()) ? volumes.get(m.source()) : volumes.create(m.source(), null, Map.of(), Map.of());
        out.add(new MountPoint(Type.VOLUME, v.name(), m.destination(), m.readOnly(), m.noCopy(), m.options()));
      } else {
        if (m.type() == Type.BIND && !Files.exists(Path.of(m.source()))) { // only -v's can be missing: --mount's were checked
          try {
            Files.createDirectories(Path.of(m.source()));
          } catch (IOException e) {
            throw new UncheckedIOException("create the bind source " + m.source(), e);
          }
        }
        out.add(m);
      }
    }
    return out;
  }

  /** The volumes the mounts name. */
  static List<String> volumeNames(List<MountPoint> mounts) {
    return mounts.stream().filter(m -> m.type() == Type.VOLUME).map(MountPoint::source).distinct().toList();
  }

  /** What one start mounts: binds (volumes' directories among them) and tmpfs. */
  record Resolved(List<BindMount> binds, List<TmpfsMount> tmpfs) {}

  /** {@code planned}: volumes not made yet are placeholders (the settings are only checked). */
  Resolved resolve(ContainerSpec s, boolean planned) {
    if (s.mounts().isEmpty()) return new Resolved(s.binds().stream().map(BindMount::parse).toList(), List.of()); // an older container
    List<BindMount> binds = new ArrayList<>();
    List<TmpfsMount> tmpfs = new ArrayList<>();
    for (MountPoint m : s.mounts()) {
      switch (m.type()) {
        case BIND -> binds.add(new BindMount(Path.of(m.source()), m.destination(), m.readOnly()));
        case TMPFS -> tmpfs.add(new TmpfsMount(m.destination(), withReadOnly(m.options(), m.readOnly())));
        case VOLUME -> {
          if (planned && (m.source().isEmpty() || !volumes.exists(m.source()))) {
            binds.add(new BindMount(Path.of("/"), m.destination(), m.readOnly()));
            continue;
          }
          switch (volumes.mount(volumes.get(m.source()))) {
            case VolumeMount.Bind b -> binds.add(new BindMount(b.source(), m.destination(), m.readOnly()));
            case VolumeMount.Tmpfs t -> tmpfs.add(new TmpfsMount(m.destination(), withReadOnly(t.options(), m.readOnly())));
          }
        }
      }
    }
    return new Resolved(binds, tmpfs);
  }

  /** Before a start, with the container's root mounted: empty volumes get the image's content at their path. */
  void populate(Container c, Path rootfs) {
    for (MountPoint m : c.spec().mounts()) {
      if (m.type() != Type.VOLUME || m.noCopy()) continue;
      Volume v = volumes.get(m.source());
      if (volumes.mount(v) instanceof VolumeMount.Bind b && b.source().equals(v.mountpoint()) && VolumeCopyUp.isEmpty(v.mountpoint())) {
        VolumeCopyUp.copy(rootfs, m.destination(), v.mountpoint());
      }
    }
  }

  private static List<String> withReadOnly(List<String> options, boolean readOnly) {
    if (!readOnly) return options;
    List<String> out = new ArrayList<>(options);
    out.add("ro");
    return out;
  }
}
