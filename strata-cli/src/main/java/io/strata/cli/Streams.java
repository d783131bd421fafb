package io.strata.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may touch of its process: standard streams, whether they are terminals, and the
 * environment. Tests pass their own; {@link #system()} is the real process.
 */
public record Streams(InputStream in, OutputStream out, PrintStream err,
                      boolean stdinIsTerminal, boolean stdoutIsTerminal, Map<String, String> env) {

  public static Streams system() {
    // Raw descriptors: binary output (save, export) must not pass through a PrintStream's encoder.
    return new Streams(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
        isTerminal(0), isTerminal(1), System.getenv());
  }

  /** Linux: a descriptor is a terminal when /proc/self/fd/N links to a tty or pty device. */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (Exception e) {
      return false;
    }
  }
}
