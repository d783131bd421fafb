package io.strata.runtime;

import io.strata.sys.DirFd;
import io.strata.sys.ErrnoException;
import io.strata.sys.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Docker's copy of an image's content into an empty volume mounted over it: the directory's
 * entries, and its owner and mode on the volume's root. The path is resolved inside the
 * container's root by the kernel (the image may hold a symlink aiming outside), and the entries go
 * through the tar writer and the layer applier, as {@code cp} out of a container does.
 */
final class VolumeCopyUp {
  private VolumeCopyUp() {}

  static boolean isEmpty(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  static void copy(Path rootfs, String destination, Path volume) {
    try (DirFd root = DirFd.open(rootfs); DirFd dir = root.inRoot(destination)) {
      CopyPaths.copyToHost(dir.path(), true, destination, volume);
      // dir.path() is the descriptor's /proc/self/fd link: followed, it is the directory itself
      int mode = (Integer) Files.getAttribute(dir.path(), "unix:mode");
      int uid = (Integer) Files.getAttribute(dir.path(), "unix:uid");
      int gid = (Integer) Files.getAttribute(dir.path(), "unix:gid");
      Syscalls.lchown(volume, uid, gid);
      Syscalls.lchmod(volume, mode & 07777);
    } catch (ErrnoException e) {
      if (e.errno() == ErrnoException.ENOENT || e.errno() == ErrnoException.ENOTDIR) return; // nothing there to copy
      throw new UncheckedIOException("copy " + destination + " into its volume", e);
    } catch (IOException e) {
      throw new UncheckedIOException("copy " + destination + " into its volume", e);
    }
  }
}
