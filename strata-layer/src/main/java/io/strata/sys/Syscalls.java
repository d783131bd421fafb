package io.strata.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Linux calls the JDK does not offer, on the FFM API. The only native code in strata.
 * Every call here acts on the path itself and never follows a final symlink (l* variants,
 * {@code AT_SYMLINK_NOFOLLOW}); a failure throws {@link ErrnoException} carrying errno.
 */
@SuppressWarnings("restricted") // FFM downcalls are the point of this class; run with --enable-native-access
public final class Syscalls {
  public static final int S_IFIFO = 0010000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFBLK = 0060000;

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int ERANGE = 34;

  static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

  private static final FunctionDescriptor MKNOD = FunctionDescriptor.of(INT, PTR, INT, LONG);
  private static final FunctionDescriptor FCHMODAT = FunctionDescriptor.of(INT, INT, PTR, INT, INT);
  private static final FunctionDescriptor LCHOWN = FunctionDescriptor.of(INT, PTR, INT, INT);
  private static final FunctionDescriptor UTIMENSAT = FunctionDescriptor.of(INT, INT, PTR, PTR, INT);
  private static final FunctionDescriptor SYMLINK = FunctionDescriptor.of(INT, PTR, PTR);
  private static final FunctionDescriptor LSETXATTR = FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, INT);
  private static final FunctionDescriptor LGETXATTR = FunctionDescriptor.of(LONG, PTR, PTR, PTR, LONG);
  private static final FunctionDescriptor LLISTXATTR = FunctionDescriptor.of(LONG, PTR, PTR, LONG);
  private static final Map<String, MethodHandle> HANDLES = new ConcurrentHashMap<>();

  private Syscalls() {}

  /**
   * The downcall handle of libc's {@code name} (errno captured), linked on first use: linking costs
   * milliseconds each, and a short command should pay only for the calls it makes.
   */
  static MethodHandle fn(String name, FunctionDescriptor fd) {
    return HANDLES.computeIfAbsent(name, n -> {
      Linker linker = Linker.nativeLinker();
      MemorySegment addr = linker.defaultLookup().find(n).orElseThrow(() -> new IllegalStateException("libc lacks " + n));
      return linker.downcallHandle(addr, fd, Linker.Option.captureCallState("errno"));
    });
  }

  /** Creates a device node or FIFO; {@code type} is one of {@link #S_IFCHR}, {@link #S_IFBLK}, {@link #S_IFIFO}. */
  public static void mknod(Path path, int type, int mode, int major, int minor) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int rc = (int) fn("mknod", MKNOD).invokeExact(st, cstr(a, path), type | (mode & 07777), makedev(major, minor));
      check(rc, st, "mknod", path);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** chmod that refuses a symlink as the final component (EOPNOTSUPP) rather than following it. */
  public static void lchmod(Path path, int mode) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int rc = (int) fn("fchmodat", FCHMODAT).invokeExact(st, AT_FDCWD, cstr(a, path), mode & 07777, AT_SYMLINK_NOFOLLOW);
      check(rc, st, "chmod", path);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void lchown(Path path, long uid, long gid) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int rc = (int) fn("lchown", LCHOWN).invokeExact(st, cstr(a, path), (int) uid, (int) gid);
      check(rc, st, "lchown", path);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Sets access and modification times of the path itself (utimensat with AT_SYMLINK_NOFOLLOW),
   * without opening it: the JDK's NOFOLLOW setTimes opens the file, which blocks on a FIFO.
   */
  public static void lutimes(Path path, java.time.Instant atime, java.time.Instant mtime) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      MemorySegment times = a.allocate(LONG, 4);
      times.setAtIndex(LONG, 0, atime.getEpochSecond());
      times.setAtIndex(LONG, 1, atime.getNano());
      times.setAtIndex(LONG, 2, mtime.getEpochSecond());
      times.setAtIndex(LONG, 3, mtime.getNano());
      int rc = (int) fn("utimensat", UTIMENSAT).invokeExact(st, AT_FDCWD, cstr(a, path), times, AT_SYMLINK_NOFOLLOW);
      check(rc, st, "utimensat", path);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** symlink(2) with the target stored byte for byte (java.nio would normalise slashes). */
  public static void symlink(String target, Path link) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int rc = (int) fn("symlink", SYMLINK).invokeExact(st, a.allocateFrom(target, StandardCharsets.UTF_8), cstr(a, link));
      check(rc, st, "symlink", link);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void lsetxattr(Path path, String name, byte[] value) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      MemorySegment v = a.allocate(Math.max(1, value.length));
      MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
      int rc = (int) fn("lsetxattr", LSETXATTR).invokeExact(st, cstr(a, path), a.allocateFrom(name, StandardCharsets.UTF_8), v,
          (long) value.length, 0);
      check(rc, st, "lsetxattr " + name, path);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static byte[] lgetxattr(Path path, String name) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      MemorySegment p = cstr(a, path);
      MemorySegment n = a.allocateFrom(name, StandardCharsets.UTF_8);
      for (long cap = 256; ; cap *= 4) {
        MemorySegment buf = a.allocate(cap);
        long rc = (long) fn("lgetxattr", LGETXATTR).invokeExact(st, p, n, buf, cap);
        if (rc < 0 && errno(st) == ERANGE && cap < (1 << 20)) continue;
        check(rc, st, "lgetxattr " + name, path);
        return buf.asSlice(0, rc).toArray(ValueLayout.JAVA_BYTE);
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static List<String> llistxattr(Path path) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      MemorySegment p = cstr(a, path);
      for (long cap = 1024; ; cap *= 4) {
        MemorySegment buf = a.allocate(cap);
        long rc = (long) fn("llistxattr", LLISTXATTR).invokeExact(st, p, buf, cap);
        if (rc < 0 && errno(st) == ERANGE && cap < (1 << 20)) continue;
        check(rc, st, "llistxattr", path);
        return splitNames(buf.asSlice(0, rc).toArray(ValueLayout.JAVA_BYTE));
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The effective uid, from /proc/self/status (no native call: many commands ask only this). */
  public static int geteuid() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) return Integer.parseInt(line.split("\\s+")[2]);
      }
      throw new IllegalStateException("/proc/self/status has no Uid line");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("read /proc/self/status", e);
    }
  }

  /** glibc's makedev encoding of a dev_t. */
  static long makedev(long major, long minor) {
    return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
  }

  private static List<String> splitNames(byte[] list) {
    List<String> names = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < list.length; i++) {
      if (list[i] == 0) {
        if (i > start) names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    return names;
  }

  static MemorySegment cstr(Arena a, Path p) {
    return a.allocateFrom(p.toString(), StandardCharsets.UTF_8);
  }

  static int errno(MemorySegment st) {
    return (int) ERRNO.get(st, 0L);
  }

  static void check(long rc, MemorySegment st, String op, Path path) throws ErrnoException {
    if (rc >= 0) return;
    int errno = errno(st);
    throw new ErrnoException(op, path, errno, strerror(errno));
  }

  static String strerror(int errno) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = (MemorySegment) fn("strerror", FunctionDescriptor.of(PTR, INT)).invokeExact(a.allocate(CAPTURE), errno);
      return s.reinterpret(256).getString(0, StandardCharsets.UTF_8);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }
}
