package io.strata.runtime;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.layer.ApplyOptions;
import io.strata.layer.InRoot;
import io.strata.layer.LayerApplier;
import io.strata.layer.TarWriter;
import io.strata.layer.WriteOptions;
import io.strata.sys.DirFd;
import io.strata.sys.ErrnoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code docker cp} both ways. The container may be running and changing its tree while it is copied
 * (CVE-2018-15664: a directory swapped for a symlink to {@code /} in a loop), so every path inside its
 * root is resolved by the kernel ({@link DirFd#inRoot}: openat2 RESOLVE_IN_ROOT) and then used only
 * through the descriptors that yields: out of the container through {@link TarWriter}, which enters
 * each directory by its descriptor, into it through {@link CopyIn}. On a kernel without openat2 the
 * container is paused for the copy instead, as Docker did for that CVE. The host side is the user's
 * own: out of the container the tar is applied to it by the layer applier, so hostile names or links
 * in the container's tree still never write outside the destination.
 * A source ending in {@code /.} copies a directory's contents rather than the directory.
 */
public final class CopyPaths {
  private final Containers containers;
  private final ContainerStore table;

  CopyPaths(Containers containers, ContainerStore table) {
    this.containers = containers;
    this.table = table;
  }

  public void copyOut(String nameOrId, String source, Path dest) {
    copyOut(nameOrId, source, dest, false);
  }

  /** As {@link #copyOut(String, String, Path)}; {@code followLink} ({@code cp -L}) copies what a symlink points to. */
  public void copyOut(String nameOrId, String source, Path dest, boolean followLink) {
    Container c = table.resolve(nameOrId);
    inRoot(c, root -> {
      String clean = followLink ? followInRoot(root, InRoot.clean(source)) : InRoot.clean(source);
      boolean contents = contentsOnly(source) || clean.equals("/");
      try (DirFd dir = open(root, contents ? clean : parentOf(clean), nameOrId, source)) {
        Path src = contents ? dir.path() : dir.entry(baseName(clean));
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) throw noSuchPath(nameOrId, source);
        copyToHost(src, contents, baseName(InRoot.clean(source)), dest);
      } catch (IOException e) {
        throw new UncheckedIOException("copy from " + nameOrId + ":" + source, e);
      }
    });
  }

  public void copyIn(Path source, String nameOrId, String dest) {
    copyIn(source, nameOrId, dest, false);
  }

  /**
   * A tar stream ({@code cp - CONTAINER:DIR}) extracted into the existing directory {@code dest}: the
   * (hostile) tar goes through the layer applier into a private directory first, then in like a host tree.
   */
  public void copyInTar(InputStream tar, String nameOrId, String dest, Path scratch, boolean keepOwner) {
    Container c = table.resolve(nameOrId);
    try {
      Path staged = Files.createTempDirectory(scratch, "cp-");
      try {
        new LayerApplier().apply(tar, staged, ApplyOptions.defaults());
        inRoot(c, root -> {
          try (DirFd existing = existingDir(root, InRoot.clean(dest))) {
            if (existing == null) throw new NotFoundException("destination \"" + nameOrId + ":" + dest + "\" must be a directory");
            new CopyIn(existing, true).children(staged); // the tar's owners: Docker applies a tar stream as it is
          }
        });
      } finally {
        io.strata.store.FileTrees.deleteTree(staged);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("copy a tar stream to " + nameOrId + ":" + dest, e);
    }
  }

  /** {@code cp CONTAINER:PATH -}: the path as a tar stream, named by its last component (a directory's tree under it). */
  public void copyOutTar(String nameOrId, String source, OutputStream out, boolean followLink) {
    Container c = table.resolve(nameOrId);
    inRoot(c, root -> {
      String clean = followLink ? followInRoot(root, InRoot.clean(source)) : InRoot.clean(source);
      boolean contents = contentsOnly(source) || clean.equals("/");
      try (DirFd dir = open(root, contents ? clean : parentOf(clean), nameOrId, source)) {
        Path src = contents ? dir.path() : dir.entry(baseName(clean));
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) throw noSuchPath(nameOrId, source);
        TarWriter.Session tar = TarWriter.open(out, WriteOptions.defaults());
        if (contents) tar.addChildren(src, "");
        else tar.add(baseName(InRoot.clean(source)), src, true);
        tar.finish();
      }
    });
  }

  /**
   * {@code cp -L}: the path with each final symlink followed, its target taken inside the
   * container's root (at most 40 links, as the kernel allows).
   */
  private static String followInRoot(DirFd root, String clean) throws IOException {
    String path = clean;
    for (int i = 0; i < 40; i++) {
      if (path.equals("/")) return path;
      Path entry;
      try (DirFd parent = root.inRoot(parentOf(path))) {
        entry = parent.entry(baseName(path));
        if (!Files.isSymbolicLink(entry)) return path;
        String target = Files.readSymbolicLink(entry).toString();
        path = InRoot.clean(target.startsWith("/") ? target : parentOf(path) + "/" + target);
      } catch (ErrnoException e) {
        return path; // missing: the copy reports it
      }
    }
    throw new InvalidArgumentException("too many levels of symbolic links: " + clean);
  }

  /** As {@link #copyIn(Path, String, String)}; {@code keepOwner} ({@code cp -a}) keeps the files' uid and gid. */
  public void copyIn(Path source, String nameOrId, String dest, boolean keepOwner) {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotFoundException("Could not find the file " + source + " on the host");
    }
    Container c = table.resolve(nameOrId);
    boolean contents = contentsOnly(source.toString());
    boolean sourceIsDir = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS);
    inRoot(c, root -> {
      String clean = InRoot.clean(dest);
      try (DirFd existing = existingDir(root, clean)) {
        if (existing != null) { // into the directory: under the source's name, or its contents
          if (contents) new CopyIn(existing, keepOwner).children(source);
          else new CopyIn(existing, keepOwner).entry(source, source.getFileName().toString());
          return;
        }
        if (dest.endsWith("/") && !sourceIsDir) {
          throw new NotFoundException("no such directory: " + nameOrId + ":" + dest);
        }
        try (DirFd parent = open(root, parentOf(clean), nameOrId, dest)) {
          if (clean.equals("/")) throw new InvalidArgumentException("cannot copy to the container's root itself");
          if (contents && !sourceIsDir) throw new InvalidArgumentException("source " + source + " is not a directory");
          new CopyIn(parent, keepOwner).entry(source, baseName(clean));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("copy to " + nameOrId + ":" + dest, e);
      }
    });
  }

  /**
   * Runs {@code action} with the container's root open: pinned by the kernel's resolution, or, on a
   * kernel without openat2, with the running container paused meanwhile.
   */
  private void inRoot(Container c, IoAction action) {
    containers.withRoot(c, rootfs -> {
      boolean pause = c.isRunning() && !DirFd.kernelResolvesInRoot();
      if (pause) containers.runc().pause(c.id());
      try (DirFd root = DirFd.open(rootfs)) {
        action.run(root);
      } catch (IOException e) {
        throw new UncheckedIOException("open the root of " + c.shortId(), e);
      } finally {
        if (pause) containers.runc().resume(c.id());
      }
    });
  }

  private interface IoAction {
    void run(DirFd root) throws IOException;
  }

  /** The directory {@code path} resolved in the root, or a not-found error naming what the user typed. */
  private static DirFd open(DirFd root, String path, String container, String typed) throws ErrnoException {
    try {
      return root.inRoot(path);
    } catch (ErrnoException e) {
      if (e.errno() == ErrnoException.ENOENT || e.errno() == ErrnoException.ENOTDIR) throw noSuchPath(container, typed);
      throw e;
    }
  }

  /** The directory {@code path} resolved in the root, or null when it is missing or not a directory. */
  private static DirFd existingDir(DirFd root, String path) throws ErrnoException {
    try {
      return root.inRoot(path);
    } catch (ErrnoException e) {
      if (e.errno() == ErrnoException.ENOENT || e.errno() == ErrnoException.ENOTDIR) return null;
      throw e;
    }
  }

  private static NotFoundException noSuchPath(String container, String path) {
    return new NotFoundException("Could not find the file " + path + " in container " + container);
  }

  private static boolean contentsOnly(String path) {
    return path.endsWith("/.");
  }

  private static String parentOf(String clean) {
    int slash = clean.lastIndexOf('/');
    return slash <= 0 ? "/" : clean.substring(0, slash);
  }

  private static String baseName(String clean) {
    return clean.substring(clean.lastIndexOf('/') + 1);
  }

  /** Docker's rules on the host: into an existing directory under the source's name, else as {@code dest} itself. */
  static void copyToHost(Path src, boolean contents, String srcName, Path dest) throws IOException {
    Path parent;
    String name;
    if (contents || Files.isDirectory(dest)) {
      parent = dest;
      name = contents ? "" : srcName;
    } else {
      parent = dest.toAbsolutePath().getParent();
      name = dest.getFileName().toString();
      if (parent == null || !Files.isDirectory(parent)) throw new NotFoundException("destination directory " + parent + " does not exist");
    }
    if (contents) Files.createDirectories(parent);
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream out = new PipedOutputStream(in);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread writer = Thread.ofVirtual().start(() -> {
      try (out) {
        TarWriter.Session tar = TarWriter.open(out, WriteOptions.defaults());
        if (contents) tar.addChildren(src, "");
        else tar.add(name, src, true);
        tar.finish();
      } catch (IOException | RuntimeException e) {
        failure.set(e);
      }
    });
    try (in) {
      new LayerApplier().apply(in, parent, ApplyOptions.defaults());
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) throw new IOException("read " + srcName + ": " + failure.get().getMessage(), failure.get());
  }
}
