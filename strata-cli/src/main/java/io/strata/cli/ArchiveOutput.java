package io.strata.cli;

import io.strata.errdefs.InvalidArgumentException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Where {@code save}, {@code export} and {@code image export} write a tar: the file given by {@code -o}
 * (through {@link OutputFile}), else standard output, which must not be a terminal.
 */
final class ArchiveOutput {
  private ArchiveOutput() {}

  static void write(Session session, Path file, OutputFile.Writer writer) throws IOException {
    if (file != null) {
      OutputFile.write(file, writer);
      return;
    }
    if (session.streams().stdoutIsTerminal()) {
      throw new InvalidArgumentException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
    }
    session.out().flush();
    OutputStream buffered = new BufferedOutputStream(session.streams().out(), 1 << 16);
    writer.write(buffered);
    buffered.flush();
  }
}
