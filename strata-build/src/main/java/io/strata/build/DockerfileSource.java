package io.strata.build;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.sys.DirFd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the Dockerfile. One inside the context (the default {@code CONTEXT/Dockerfile}, or a
 * {@code -f} there) is resolved in the context as every COPY source is: a symlink or {@code ..}
 * never leads out of it, so a Dockerfile linked to a file elsewhere is "no such file" and its
 * content is never shown. A {@code -f} outside the context is the file the user named. Bytes that
 * are not UTF-8 become U+FFFD, as Go's JSON writes them into the image, never a failed read.
 */
public final class DockerfileSource {
  private static final int MAX_LINKS = 40;
  static final long MAX_BYTES = 16L << 20; // far above any real Dockerfile; a bound, not a read of anything

  private DockerfileSource() {}

  public static String read(Path context, Path dockerfile) {
    Path ctx = context.toAbsolutePath().normalize();
    Path named = dockerfile == null ? ctx.resolve("Dockerfile") : dockerfile.toAbsolutePath().normalize();
    try {
      byte[] bytes = named.startsWith(ctx) ? readInRoot(ctx, ctx.relativize(named).toString(), named) : readNamed(named);
      return decode(bytes);
    } catch (IOException e) {
      throw new InvalidArgumentException("failed to read dockerfile: open " + (dockerfile == null ? context.resolve("Dockerfile") : dockerfile)
          + ": no such file or directory");
    }
  }

  private static byte[] readNamed(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) throw new InvalidArgumentException("failed to read dockerfile: " + file + " is over 16 MiB");
    return Files.readAllBytes(file);
  }

  /** {@code rel} under {@code root} as a process rooted there would open it (symlinks included). */
  private static byte[] readInRoot(Path root, String rel, Path shown) throws IOException {
    try (DirFd top = DirFd.open(root)) {
      String path = rel;
      for (int links = 0; links <= MAX_LINKS; links++) {
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "." : path.substring(0, slash);
        String name = slash < 0 ? path : path.substring(slash + 1);
        try (DirFd dir = top.inRoot(parent)) {
          Path entry = dir.entry(name);
          if (Files.isSymbolicLink(entry)) {
            String target = Files.readSymbolicLink(entry).toString();
            path = target.startsWith("/") ? target.replaceAll("^/+", "") : parent + "/" + target;
            continue;
          }
          try (FileChannel ch = DirFd.openRegular(entry)) {
            if (ch == null) throw new IOException(shown + ": not a regular file");
            if (ch.size() > MAX_BYTES) throw new InvalidArgumentException("failed to read dockerfile: " + shown + " is over 16 MiB");
            ByteBuffer b = ByteBuffer.allocate((int) ch.size());
            while (b.hasRemaining() && ch.read(b) >= 0) { /* fill */ }
            return java.util.Arrays.copyOf(b.array(), b.position());
          }
        }
      }
      throw new IOException(shown + ": too many levels of symbolic links");
    }
  }

  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(e); // REPLACE never throws
    }
  }
}
