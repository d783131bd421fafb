package io.strata.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An open directory ({@code O_PATH}) that paths are resolved from, so that a tree another process is
 * changing (a running container's root, its overlay upper directory) is read and written only through
 * what the kernel resolved, never re-resolved by name. {@link #entry} names one child through the
 * descriptor ({@code /proc/self/fd/N/NAME}): the kernel follows the magic link to this very directory and
 * looks up only NAME, so path calls that do not follow a final symlink act inside this directory
 * whatever is renamed or swapped for a link around it.
 */
@SuppressWarnings("restricted")
public final class DirFd implements AutoCloseable {
  private static final int AT_FDCWD = -100;
  private static final int O_RDONLY = 0;
  private static final int O_NONBLOCK = 04000;
  private static final int O_DIRECTORY = 0200000;
  private static final int O_NOFOLLOW = 0400000;
  private static final int O_CLOEXEC = 02000000;
  private static final int O_PATH = 010000000;
  private static final long RESOLVE_NO_MAGICLINKS = 0x02;
  private static final long RESOLVE_IN_ROOT = 0x10;
  private static final int SYS_OPENAT2 = 437; // the same number on every architecture
  private static final int ENOSYS = 38;
  private static final int MAX_LINKS = 40;

  private static final FunctionDescriptor OPENAT =
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
  private static final FunctionDescriptor SYSCALL_OPENAT2 = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
      ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
  private static final FunctionDescriptor CLOSE = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
  private static volatile MethodHandle openat;
  private static volatile MethodHandle openat2;
  private static volatile boolean noOpenat2;

  private final int fd;
  private final Path shown; // for messages only

  private DirFd(int fd, Path shown) {
    this.fd = fd;
    this.shown = shown;
  }

  /** A directory of the host's own (trusted) tree: symlinks on the way are followed. */
  public static DirFd open(Path dir) throws ErrnoException {
    return new DirFd(openat(AT_FDCWD, dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, dir), dir);
  }

  /** The directory at {@code path} itself: ELOOP or ENOTDIR when its last component is a symlink or not a directory. */
  public static DirFd openNoFollow(Path path) throws ErrnoException {
    return new DirFd(openat(AT_FDCWD, path.toString(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, path), path);
  }

  /** The child directory {@code name}, never through a symlink. */
  public DirFd child(String name) throws ErrnoException {
    Path p = shown.resolve(name);
    return new DirFd(openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, p), p);
  }

  /** The directory {@code rel} below this one, every component opened with {@link #child} (no symlink followed). */
  public DirFd beneath(String rel) throws ErrnoException {
    DirFd cur = reopen();
    for (String part : rel.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) throw new ErrnoException("open", shown.resolve(rel), 1, "'..' in a path beneath a directory");
      DirFd next;
      try {
        next = cur.child(part);
      } finally {
        cur.close();
      }
      cur = next;
    }
    return cur;
  }

  /**
   * The directory {@code rel} as a process whose root is this directory would see it: a symlink or
   * {@code ..} anywhere on the way stays inside (openat2 RESOLVE_IN_ROOT, done by the kernel, so the
   * result is inside however the tree changes meanwhile). Before Linux 5.6 it is resolved here, one
   * component at a time, which is safe only while nothing changes the tree: see {@link #kernelResolvesInRoot}.
   */
  public DirFd inRoot(String rel) throws ErrnoException {
    String clean = rel.replaceAll("^/+|/+$", "");
    if (clean.isEmpty()) clean = ".";
    Path p = shown.resolve(clean);
    if (!noOpenat2) {
      try {
        return new DirFd(openat2(fd, clean, O_PATH | O_DIRECTORY | O_CLOEXEC, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, p), p);
      } catch (ErrnoException e) {
        if (e.errno() != ENOSYS) throw e;
        noOpenat2 = true;
      }
    }
    return inRootByHand(clean, p);
  }

  /** Whether {@link #inRoot} is resolved by the kernel (openat2, Linux 5.6 and later). */
  public static boolean kernelResolvesInRoot() {
    if (noOpenat2) return false;
    try (DirFd d = open(Path.of("/"))) {
      d.inRoot(".").close();
    } catch (ErrnoException e) {
      // inRoot records ENOSYS itself; any other failure says nothing about the kernel
    }
    return !noOpenat2;
  }

  private DirFd inRootByHand(String rel, Path shownAs) throws ErrnoException {
    Deque<String> pending = new ArrayDeque<>(java.util.Arrays.asList(rel.split("/+")));
    Deque<DirFd> stack = new ArrayDeque<>();
    stack.push(reopen());
    int links = 0;
    try {
      while (!pending.isEmpty()) {
        String c = pending.removeFirst();
        if (c.isEmpty() || c.equals(".")) continue;
        if (c.equals("..")) {
          if (stack.size() > 1) stack.pop().close();
          continue;
        }
        Path entry = stack.peek().entry(c);
        if (Files.isSymbolicLink(entry)) {
          if (++links > MAX_LINKS) throw new ErrnoException("open", shownAs, 40, "too many levels of symbolic links");
          String target = Files.readSymbolicLink(entry).toString();
          if (target.startsWith("/")) {
            while (stack.size() > 1) stack.pop().close();
          }
          String[] parts = target.split("/+");
          for (int i = parts.length - 1; i >= 0; i--) pending.addFirst(parts[i]);
          continue;
        }
        stack.push(stack.peek().child(c));
      }
      return stack.pop();
    } catch (ErrnoException e) {
      throw e;
    } catch (IOException e) {
      throw new ErrnoException("open", shownAs, 5, e.getMessage());
    } finally {
      while (!stack.isEmpty()) stack.pop().close();
    }
  }

  private DirFd reopen() throws ErrnoException {
    return new DirFd(openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC, shown), shown);
  }

  /** This directory as a path through its descriptor. */
  public Path path() {
    return Path.of("/proc/self/fd/" + fd);
  }

  /** The child {@code name} of this directory as a path through its descriptor (see the class comment). */
  public Path entry(String name) {
    return path().resolve(name);
  }

  /** What this directory is called, for messages only: never resolve it. */
  public Path shown() {
    return shown;
  }

  int fd() {
    return fd;
  }

  /**
   * Opens {@code path} for reading if it is a regular file, never following a final symlink and never
   * blocking on a FIFO put in its place; null when it is something else now.
   */
  public static FileChannel openRegular(Path path) throws IOException {
    int raw = openat(AT_FDCWD, path.toString(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, path);
    try {
      Path self = Path.of("/proc/self/fd/" + raw);
      if (!Files.readAttributes(self, BasicFileAttributes.class).isRegularFile()) return null;
      return FileChannel.open(self, StandardOpenOption.READ); // the same inode, opened again by the kernel's link
    } finally {
      close(raw);
    }
  }

  @Override
  public void close() {
    close(fd);
  }

  private static int openat(int dirFd, String path, int flags, Path shownAs) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(Syscalls.CAPTURE);
      int rc = (int) openatHandle().invokeExact(st, dirFd, a.allocateFrom(path, StandardCharsets.UTF_8), flags, 0);
      Syscalls.check(rc, st, "open", shownAs);
      return rc;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** openat2(dirFd, path, {flags, 0, resolve}) through syscall(2): glibc has no wrapper for it. */
  static int openat2(int dirFd, String path, long flags, long resolve, Path shownAs) throws ErrnoException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(Syscalls.CAPTURE);
      MemorySegment how = a.allocate(ValueLayout.JAVA_LONG, 3);
      how.setAtIndex(ValueLayout.JAVA_LONG, 0, flags);
      how.setAtIndex(ValueLayout.JAVA_LONG, 1, 0);
      how.setAtIndex(ValueLayout.JAVA_LONG, 2, resolve);
      long rc = (long) openat2Handle().invokeExact(st, (long) SYS_OPENAT2, dirFd, a.allocateFrom(path, StandardCharsets.UTF_8),
          how, how.byteSize());
      Syscalls.check(rc, st, "openat2", shownAs);
      return (int) rc;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  static void close(int fd) {
    try (Arena a = Arena.ofConfined()) {
      int ignored = (int) Syscalls.fn("close", CLOSE).invokeExact(a.allocate(Syscalls.CAPTURE), fd);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static MethodHandle openatHandle() {
    MethodHandle h = openat;
    if (h == null) openat = h = variadic("openat", OPENAT, 3);
    return h;
  }

  private static MethodHandle openat2Handle() {
    MethodHandle h = openat2;
    if (h == null) openat2 = h = variadic("syscall", SYSCALL_OPENAT2, 1);
    return h;
  }

  private static MethodHandle variadic(String name, FunctionDescriptor fd, int firstVariadic) {
    Linker linker = Linker.nativeLinker();
    return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), fd,
        Linker.Option.firstVariadicArg(firstVariadic), Linker.Option.captureCallState("errno"));
  }
}
