package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host's device nodes a container is given: those of {@code --device} (moby's
 * {@code DevicesFromPath}: a node, or every node under a directory) and, with {@code --privileged},
 * all of the host's /dev (runc's {@code HostDevices}). Each becomes a {@code linux.devices} entry,
 * which runc creates in the container's /dev, and a device cgroup rule allowing it.
 */
final class HostDevices {
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;
  /** runc skips these directories of the host's /dev, and /dev/console. */
  private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

  /** One node: where it appears in the container, its type (c, b or p), numbers, permission bits and owner. */
  record Device(String path, String type, long major, long minor, int fileMode, long uid, long gid, String access) {}

  private HostDevices() {}

  /** The nodes of one {@code --device}, with moby's message when there is none. */
  static List<Device> of(DeviceMapping m) {
    Path host = Path.of(m.pathOnHost());
    Path resolved = host;
    if (Files.isSymbolicLink(host)) {
      try {
        resolved = host.toRealPath();
      } catch (IOException e) {
        // a dangling link: reported below as what it is
      }
    }
    String failure;
    try {
      Device d = device(resolved, m.pathInContainer(), m.cgroupPermissions());
      if (d != null) return List.of(d);
      failure = "not a device node";
      if (Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
        List<Device> devices = new ArrayList<>();
        String prefix = resolved.toString();
        try (Stream<Path> all = Files.walk(resolved)) {
          for (Path p : all.toList()) {
            Device child = device(p, m.pathInContainer() + p.toString().substring(prefix.length()), m.cgroupPermissions());
            if (child != null) devices.add(child);
          }
        }
        if (!devices.isEmpty()) return devices;
      }
    } catch (NoSuchFileException e) {
      failure = "no such file or directory";
    } catch (IOException | UncheckedIOException e) {
      failure = e.getMessage();
    }
    throw new InvalidArgumentException("error gathering device information while adding custom device \""
        + m.pathOnHost() + "\": " + failure);
  }

  /** Every device node of the host's /dev but FIFOs, as runc's {@code HostDevices} lists them. */
  static List<Device> host() {
    List<Device> out = new ArrayList<>();
    try {
      collect(Path.of("/dev"), out);
    } catch (IOException e) {
      throw new UncheckedIOException("list the host's devices", e);
    }
    return out;
  }

  private static void collect(Path dir, List<Device> out) throws IOException {
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted().toList();
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        if (!SKIPPED_DIRS.contains(name)) collect(p, out);
        continue;
      }
      if (name.equals("console")) continue;
      try {
        Device d = device(p, p.toString(), "rwm");
        if (d != null && !d.type().equals("p")) out.add(d);
      } catch (NoSuchFileException e) {
        // gone meanwhile
      }
    }
  }

  /** The node at {@code p} (not following a symlink), or null when it is not a device. */
  private static Device device(Path p, String inContainer, String access) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    String type = switch (mode & S_IFMT) {
      case S_IFCHR -> "c";
      case S_IFBLK -> "b";
      case S_IFIFO -> "p";
      default -> null;
    };
    if (type == null) return null;
    long rdev = (Long) a.get("rdev");
    long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & 0xfffff000L); // glibc's major() and minor()
    long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xffffff00L);
    return new Device(inContainer, type, major, minor, mode & 07777, ((Integer) a.get("uid")).longValue(),
        ((Integer) a.get("gid")).longValue(), access);
  }
}
