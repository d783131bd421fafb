package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where {@code save} and {@code image export} write a tar: a file given by {@code -o} (written to a
 * temp file beside it and renamed into place only when complete, so a failed save leaves no partial
 * archive), else standard output, which must not be a terminal.
 */
final class ArchiveOutput {
  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private ArchiveOutput() {}

  static void write(Session session, Path file, Writer writer) throws IOException {
    if (file == null) {
      if (session.streams().stdoutIsTerminal()) {
        throw new InvalidArgumentException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
      }
      session.out().flush();
      OutputStream stdout = session.streams().out();
      OutputStream buffered = new BufferedOutputStream(stdout, 1 << 16);
      writer.write(buffered);
      buffered.flush();
      return;
    }
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
           OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
        writer.write(out);
        out.flush();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
