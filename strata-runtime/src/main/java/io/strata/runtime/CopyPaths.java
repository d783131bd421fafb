package io.strata.runtime;

import io.strata.errdefs.NotFoundException;
import io.strata.layer.ApplyOptions;
import io.strata.layer.InRoot;
import io.strata.layer.LayerApplier;
import io.strata.layer.TarWriter;
import io.strata.layer.WriteOptions;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code docker cp} both ways. Paths in the container resolve inside its root (symlinks included);
 * the copy itself is a tar written from the source and applied to the destination by the layer
 * applier, so hostile names or links in either tree never write outside the destination.
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
    Container c = table.resolve(nameOrId);
    containers.withRoot(c, rootfs -> {
      try {
        Path src = InRoot.resolveNoFollow(rootfs, source);
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
          throw new NotFoundException("Could not find the file " + source + " in container " + nameOrId);
        }
        copy(src, contentsOnly(source), dest);
      } catch (IOException e) {
        throw new UncheckedIOException("copy from " + nameOrId + ":" + source, e);
      }
    });
  }

  public void copyIn(Path source, String nameOrId, String dest) {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotFoundException("Could not find the file " + source + " on the host");
    }
    Container c = table.resolve(nameOrId);
    containers.withRoot(c, rootfs -> {
      try {
        copy(source, contentsOnly(source.toString()), InRoot.resolve(rootfs, dest));
      } catch (IOException e) {
        throw new UncheckedIOException("copy to " + nameOrId + ":" + dest, e);
      }
    });
  }

  private static boolean contentsOnly(String path) {
    return path.endsWith("/.");
  }

  /** Docker's rules: into an existing directory under the source's name, else as {@code dest} itself. */
  private static void copy(Path src, boolean contents, Path dest) throws IOException {
    Path parent;
    String name;
    if (contents || Files.isDirectory(dest)) {
      parent = dest;
      name = contents ? "" : src.getFileName().toString();
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
    if (failure.get() != null) throw new IOException("read " + src + ": " + failure.get().getMessage(), failure.get());
  }
}
