package io.strata.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Mounting through the kernel's mount API (fsopen, fsconfig, fsmount, move_mount; glibc 2.36),
 * plus bind mounts and umount2. The new API passes each overlay option as its own string, so
 * {@code lowerdir+} takes one layer at a time and a long chain never meets mount(2)'s one-page
 * limit on the option string.
 */
@SuppressWarnings("restricted")
public final class MountSyscalls {
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

  private static final int AT_FDCWD = -100;
  private static final int FSOPEN_CLOEXEC = 1;
  private static final int FSCONFIG_SET_FLAG = 0;
  private static final int FSCONFIG_SET_STRING = 1;
  private static final int FSCONFIG_CMD_CREATE = 6;
  private static final int FSMOUNT_CLOEXEC = 1;
  private static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
  private static final long MS_RDONLY = 1;
  private static final long MS_BIND = 4096;
  private static final long MS_REC = 16384;
  private static final long MS_REMOUNT = 32;
  public static final int MNT_DETACH = 2;
  public static final int EINVAL = 22;
  public static final int ENOSYS = 38;

  private static final FunctionDescriptor FSOPEN = FunctionDescriptor.of(INT, PTR, INT);
  private static final FunctionDescriptor FSCONFIG = FunctionDescriptor.of(INT, INT, INT, PTR, PTR, INT);
  private static final FunctionDescriptor FSMOUNT = FunctionDescriptor.of(INT, INT, INT, INT);
  private static final FunctionDescriptor MOVE_MOUNT = FunctionDescriptor.of(INT, INT, PTR, INT, PTR, INT);
  private static final FunctionDescriptor MOUNT = FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, PTR);
  private static final FunctionDescriptor UMOUNT2 = FunctionDescriptor.of(INT, PTR, INT);
  private static final FunctionDescriptor OPEN_TREE = FunctionDescriptor.of(INT, INT, PTR, INT);
  private static final int OPEN_TREE_CLONE = 1;
  private static final int OPEN_TREE_CLOEXEC = 02000000;
  private static final FunctionDescriptor READ = FunctionDescriptor.of(LONG, INT, PTR, LONG);

  private MountSyscalls() {}

  /** One fsconfig call: a flag when {@code value} is null, else a string. */
  public record Option(String key, String value) {}

  /**
   * Creates a filesystem of {@code fsType} from {@code options} (applied in order) and attaches it
   * at {@code target}. On failure the kernel's own explanation, if it left one, is in the message.
   */
  public static void mountFs(String fsType, String source, List<Option> options, Path target) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(Syscalls.CAPTURE);
      int fs = (int) Syscalls.fn("fsopen", FSOPEN).invokeExact(st, a.allocateFrom(fsType, StandardCharsets.UTF_8), FSOPEN_CLOEXEC);
      Syscalls.check(fs, st, "fsopen " + fsType, target);
      try {
        config(a, st, fs, new Option("source", source), target);
        for (Option o : options) config(a, st, fs, o, target);
        int rc = (int) Syscalls.fn("fsconfig", FSCONFIG).invokeExact(st, fs, FSCONFIG_CMD_CREATE, MemorySegment.NULL, MemorySegment.NULL, 0);
        if (rc < 0) throw failure(a, st, fs, "create " + fsType, target);
        int mnt = (int) Syscalls.fn("fsmount", FSMOUNT).invokeExact(st, fs, FSMOUNT_CLOEXEC, 0);
        Syscalls.check(mnt, st, "fsmount " + fsType, target);
        try {
          int moved = (int) Syscalls.fn("move_mount", MOVE_MOUNT).invokeExact(st, mnt, a.allocateFrom("", StandardCharsets.UTF_8), AT_FDCWD,
              Syscalls.cstr(a, target), MOVE_MOUNT_F_EMPTY_PATH);
          Syscalls.check(moved, st, "move_mount", target);
        } finally {
          close(mnt);
        }
      } finally {
        close(fs);
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static void config(Arena a, MemorySegment st, int fs, Option o, Path target) throws Throwable {
    MemorySegment key = a.allocateFrom(o.key(), StandardCharsets.UTF_8);
    int rc = o.value() == null
        ? (int) Syscalls.fn("fsconfig", FSCONFIG).invokeExact(st, fs, FSCONFIG_SET_FLAG, key, MemorySegment.NULL, 0)
        : (int) Syscalls.fn("fsconfig", FSCONFIG).invokeExact(st, fs, FSCONFIG_SET_STRING, key, a.allocateFrom(o.value(), StandardCharsets.UTF_8), 0);
    if (rc < 0) throw failure(a, st, fs, "fsconfig " + o.key() + (o.value() == null ? "" : "=" + o.value()), target);
  }

  /** The errno, with the message the kernel queued on the fs context ("e overlay: ...") when there is one. */
  private static ErrnoException failure(Arena a, MemorySegment st, int fs, String op, Path target) throws Throwable {
    int errno = Syscalls.errno(st);
    String reason = Syscalls.strerror(errno);
    MemorySegment buf = a.allocate(512);
    long n = (long) Syscalls.fn("read", READ).invokeExact(st, fs, buf, 511L);
    if (n > 2) reason = new String(buf.asSlice(2, n - 2).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8).strip();
    return new ErrnoException(op, target, errno, reason);
  }

  /** mount --bind (recursive), optionally remounted read-only. */
  public static void bind(Path source, Path target, boolean readOnly) throws ErrnoException {
    mount(source, target, MS_BIND | MS_REC);
    if (readOnly) mount(source, target, MS_BIND | MS_REMOUNT | MS_RDONLY);
  }

  private static final long O_PATH = 010000000;
  private static final long O_CLOEXEC = 02000000;
  private static final long RESOLVE_NO_XDEV = 0x01;
  private static final long RESOLVE_NO_MAGICLINKS = 0x02;
  private static final long RESOLVE_IN_ROOT = 0x10;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int ENOENT = 2;
  private static final int EEXIST = 17;
  private static final FunctionDescriptor MKDIRAT = FunctionDescriptor.of(INT, INT, PTR, INT);

  /**
   * Bind-mounts directory {@code rel} of {@code root} on {@code target}, not recursively, as the
   * kernel resolves it inside {@code root} (openat2 with RESOLVE_IN_ROOT: a symlink or {@code ..}
   * anywhere on the way stays inside, however the tree changes meanwhile); missing directories are
   * made on the way (0755), each resolved the same way. The mount is cloned from the opened
   * directory itself (open_tree on the fd), so what was resolved is what gets mounted.
   */
  public static void bindInRoot(Path root, String rel, Path target, boolean readOnly) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(Syscalls.CAPTURE);
      int rootFd = openat2(a, st, AT_FDCWD, root.toString(), 0, root);
      try {
        int dir = openOrCreate(a, st, rootFd, rel, root);
        try {
          int tree = (int) Syscalls.fn("open_tree", OPEN_TREE).invokeExact(st, dir, a.allocateFrom("", StandardCharsets.UTF_8),
              OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
          Syscalls.check(tree, st, "open_tree", root.resolve(rel));
          try {
            int moved = (int) Syscalls.fn("move_mount", MOVE_MOUNT).invokeExact(st, tree, a.allocateFrom("", StandardCharsets.UTF_8),
                AT_FDCWD, Syscalls.cstr(a, target), MOVE_MOUNT_F_EMPTY_PATH);
            Syscalls.check(moved, st, "move_mount", target);
          } finally {
            close(tree);
          }
        } finally {
          close(dir);
        }
      } finally {
        close(rootFd);
      }
      if (readOnly) mount(target, target, MS_BIND | MS_REMOUNT | MS_RDONLY);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** {@code rel} under {@code rootFd}, resolved in it; missing components are made one by one. */
  private static int openOrCreate(Arena a, MemorySegment st, int rootFd, String rel, Path root) throws Throwable {
    String clean = rel.replaceAll("^/+|/+$", "");
    if (clean.isEmpty()) clean = ".";
    try {
      return openat2(a, st, rootFd, clean, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV, root);
    } catch (ErrnoException e) {
      if (e.errno() != ENOENT) throw e;
    }
    String[] parts = clean.split("/+");
    String parent = ".";
    for (String part : parts) {
      int p = openat2(a, st, rootFd, parent, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV, root);
      try {
        int rc = (int) Syscalls.fn("mkdirat", MKDIRAT).invokeExact(st, p, a.allocateFrom(part, StandardCharsets.UTF_8), 0755);
        if (rc < 0 && Syscalls.errno(st) != EEXIST) Syscalls.check(rc, st, "mkdir", root.resolve(parent).resolve(part));
      } finally {
        close(p);
      }
      parent = parent.equals(".") ? part : parent + "/" + part;
    }
    return openat2(a, st, rootFd, clean, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV, root);
  }

  /** openat2(dirFd, path, {O_PATH|O_CLOEXEC, 0, resolve}). */
  private static int openat2(Arena a, MemorySegment st, int dirFd, String path, long resolve, Path shown) throws ErrnoException {
    return DirFd.openat2(dirFd, path, O_PATH | O_CLOEXEC, resolve, shown);
  }

  private static void mount(Path source, Path target, long flags) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(Syscalls.CAPTURE);
      int rc = (int) Syscalls.fn("mount", MOUNT).invokeExact(st, Syscalls.cstr(a, source), Syscalls.cstr(a, target),
          MemorySegment.NULL, flags, MemorySegment.NULL);
      Syscalls.check(rc, st, "mount", target);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void umount(Path target, int flags) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(Syscalls.CAPTURE);
      int rc = (int) Syscalls.fn("umount2", UMOUNT2).invokeExact(st, Syscalls.cstr(a, target), flags);
      Syscalls.check(rc, st, "umount", target);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static void close(int fd) {
    DirFd.close(fd);
  }
}
