package io.strata.cli;

import io.strata.errdefs.StrataException;
import io.strata.runtime.ExecFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The one place where failures become exit codes and one-line messages, as docker does:
 * 0 success, 1 an error of the command (any error kind, I/O), 125 a usage error of strata itself
 * (unknown flag or command, bad flag value).
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int USAGE = 125;

  private ExitCodes() {}

  /** The exit code for a failure thrown by a command. */
  public static int of(Throwable failure) {
    return switch (failure) {
      case UsageException u -> USAGE;
      case ExecFailure f -> f.exitCode();
      case StrataException s -> ERROR;
      case IOException io -> ERROR;
      case UncheckedIOException io -> ERROR;
      case InvalidPathException p -> ERROR;
      default -> ERROR;
    };
  }

  /** The message printed after {@code Error: }: the error's own one-line message, made Go-like for I/O. */
  public static String message(Throwable failure) {
    return switch (failure) {
      // the wrapper's context first ("read layer X: ..."), unless it only repeats its cause
      case UncheckedIOException u when u.getCause() != null -> u.getMessage() == null
          || u.getMessage().equals(u.getCause().toString()) ? message(u.getCause()) : firstLine(u.getMessage()) + ": " + message(u.getCause());
      case NoSuchFileException e -> "open " + e.getFile() + ": no such file or directory";
      case AccessDeniedException e -> "open " + e.getFile() + ": permission denied";
      case FileAlreadyExistsException e -> "open " + e.getFile() + ": file exists";
      case NotDirectoryException e -> e.getFile() + ": not a directory";
      case StrataException e -> firstLine(e.getMessage());
      // a path the file system cannot hold (a NUL byte, an unpaired surrogate): Go's open fails with EINVAL
      case InvalidPathException e -> "open " + printable(e.getInput()) + ": invalid argument";
      case ExecFailure e -> firstLine(e.getMessage());
      case UsageException e -> firstLine(e.getMessage());
      case IOException e -> e.getMessage() == null ? "i/o error" : firstLine(e.getMessage());
      default -> failure.getMessage() == null
          ? "internal error: " + failure.getClass().getName()
          : "internal error: " + firstLine(failure.getMessage());
    };
  }

  /** True for failures that are bugs, not expected error kinds: their stack trace helps. */
  static boolean isUnexpected(Throwable failure) {
    return !(failure instanceof StrataException || failure instanceof IOException || failure instanceof ExecFailure
        || failure instanceof UncheckedIOException || failure instanceof UsageException
        || failure instanceof InvalidPathException);
  }

  /** Control characters and unpaired surrogates shown as Go's %q would, so that the message stays one line. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) b.append(String.format("\\x%02x", c));
      else if (Character.isSurrogate((char) c) && Character.charCount(c) == 1) b.append('\uFFFD');
      else b.appendCodePoint(c);
    });
    return b.toString();
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** A usage error a command detects itself (a bad flag value or argument combination): exit 125. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }
}
