package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * The one place that writes a file the user named ({@code save -o}, {@code export -o}, {@code --iidfile}).
 *
 * <p>A regular file (new or existing) is written to a temp file beside it and renamed over it only
 * when complete, so a failed command leaves no partial file; an existing one keeps its mode and owner. A
 * symlink is followed and the file it leads to is replaced that way, so the link stays a link. Anything
 * else that exists (a device such as {@code /dev/null}, a FIFO, {@code /dev/fd/N}, {@code /dev/stdout})
 * is opened and written in place, never renamed over; a directory is refused.
 */
final class OutputFile {
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static final int MAX_LINKS = 40; // the kernel's own limit on a chain of symlinks

  private OutputFile() {}

  static void write(Path file, Writer writer) throws IOException {
    Target target = target(file.toAbsolutePath(), file);
    switch (target) {
      case Target.InPlace(Path path) -> writeInPlace(path, writer);
      case Target.Replace(Path path, PosixFileAttributes existing) -> replace(path, existing, writer);
    }
  }

  private sealed interface Target {
    /** Opened and written directly: a device, FIFO, socket-like or magic link. */
    record InPlace(Path path) implements Target {}

    /** Written atomically at {@code path}; {@code existing} is the regular file it replaces, or null. */
    record Replace(Path path, PosixFileAttributes existing) implements Target {}
  }

  private static Target target(Path path, Path named) throws IOException {
    for (int hops = 0; hops <= MAX_LINKS; hops++) {
      PosixFileAttributes attrs = attributes(path);
      if (attrs == null) return new Target.Replace(path, null);
      if (attrs.isRegularFile()) return new Target.Replace(path, attrs);
      if (attrs.isDirectory()) throw new InvalidArgumentException("invalid output path: \"" + named + "\" is a directory");
      if (!attrs.isSymbolicLink()) return new Target.InPlace(path);
      Path dir = path.getParent();
      // /dev/stdout and /dev/fd/N lead into /proc/PID/fd: magic links to whatever the descriptor is
      // (a pipe has no path at all), so they are opened, never replaced.
      if (dir != null && dir.toRealPath().startsWith("/proc")) return new Target.InPlace(path);
      Path link = Files.readSymbolicLink(path);
      path = dir == null ? link : dir.resolve(link).normalize();
      if (path.startsWith("/proc")) return new Target.InPlace(named.toAbsolutePath());
    }
    throw new InvalidArgumentException("invalid output path: \"" + named + "\": too many levels of symbolic links");
  }

  private static PosixFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static void writeInPlace(Path path, Writer writer) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.WRITE), 1 << 16)) {
      writer.write(out);
    }
  }

  private static void replace(Path target, PosixFileAttributes existing, Writer writer) throws IOException {
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      if (existing != null) keepIdentity(temp, existing);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
           OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        writer.write(out);
        out.flush();
        channel.force(true);
      }
      // A regular file, or nothing, is what target() saw; if something else was put there since,
      // it is not replaced (the rename would destroy it).
      BasicFileAttributes now = attributes(target);
      if (now != null && !now.isRegularFile()) {
        throw new FileSystemException(target.toString(), null, "changed into a non-regular file during the write");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void keepIdentity(Path temp, PosixFileAttributes existing) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
    try {
      view.setOwner(existing.owner());
      view.setGroup(existing.group());
    } catch (FileSystemException e) {
      // not permitted for an unprivileged user: the file becomes theirs, as with any rewrite
    }
    view.setPermissions(existing.permissions());
  }
}
