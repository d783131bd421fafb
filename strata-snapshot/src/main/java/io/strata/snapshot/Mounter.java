package io.strata.snapshot;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.sys.ErrnoException;
import io.strata.sys.MountSyscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Performs {@link Mount}s with the kernel's mount API, and finds and removes strata's mounts. */
public final class Mounter {
  private static final int EBUSY = 16;
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private Mounter() {}

  /** Mounts {@code mounts} in order at {@code target} (an existing directory). */
  public static void mount(List<Mount> mounts, Path target) {
    for (Mount m : mounts) {
      try {
        switch (m.type()) {
          case "bind" -> MountSyscalls.bind(Path.of(m.source()), target, m.options().contains("ro"));
          case "overlay" -> MountSyscalls.mountFs("overlay", m.source(), overlayOptions(m.options()), target);
          default -> throw new IllegalArgumentException("mount type " + m.type());
        }
      } catch (ErrnoException e) {
        throw new FailedPreconditionException("mount " + m.type() + " at " + target + ": " + e.getReason(), e);
      }
    }
  }

  private static List<MountSyscalls.Option> overlayOptions(List<String> options) {
    List<MountSyscalls.Option> out = new ArrayList<>();
    for (String o : options) {
      int eq = o.indexOf('=');
      out.add(eq < 0 ? new MountSyscalls.Option(o, null) : new MountSyscalls.Option(o.substring(0, eq), o.substring(eq + 1)));
    }
    return out;
  }

  /** Mounts {@code mounts} at {@code target} (made if missing), runs {@code action} on it, unmounts. */
  public static void withMounted(List<Mount> mounts, Path target, java.util.function.Consumer<Path> action) {
    try {
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new UncheckedIOException("create mount point " + target, e);
    }
    mount(mounts, target);
    try {
      action.accept(target);
    } finally {
      unmount(target);
    }
  }

  /** Unmounts everything at {@code target}; a busy mount is retried, then detached. Not mounted is fine. */
  public static void unmount(Path target) {
    while (isMounted(target)) {
      try {
        MountSyscalls.umount(target, 0);
      } catch (ErrnoException e) {
        if (e.errno() == MountSyscalls.EINVAL) return; // not a mount point
        if (e.errno() != EBUSY) throw new FailedPreconditionException("unmount " + target + ": " + e.getReason(), e);
        try {
          Thread.sleep(50);
          MountSyscalls.umount(target, MountSyscalls.MNT_DETACH);
        } catch (ErrnoException | InterruptedException again) {
          throw new FailedPreconditionException("unmount " + target + ": busy", e);
        }
      }
    }
  }

  public static boolean isMounted(Path target) {
    return mountPoints().contains(target.toAbsolutePath().normalize());
  }

  /** Mount points at or below {@code dir}, deepest last in mount order. */
  public static List<Path> mountedUnder(Path dir) {
    Path base = dir.toAbsolutePath().normalize();
    return mountPoints().stream().filter(p -> p.startsWith(base)).toList();
  }

  private static List<Path> mountPoints() {
    try {
      List<Path> points = new ArrayList<>();
      for (String line : Files.readAllLines(MOUNTINFO)) {
        String[] f = line.split(" ");
        if (f.length > 4) points.add(Path.of(unescape(f[4])));
      }
      return points;
    } catch (IOException e) {
      throw new UncheckedIOException("read " + MOUNTINFO, e);
    }
  }

  /** mountinfo escapes space, tab, newline and backslash as \ooo. */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(Character::isDigit)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
