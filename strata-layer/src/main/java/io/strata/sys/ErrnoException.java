package io.strata.sys;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/** A failed system call, with its errno so callers can tell EPERM from ENOTSUP. */
public final class ErrnoException extends FileSystemException {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EEXIST = 17;
  public static final int ENOTDIR = 20;
  public static final int ELOOP = 40;
  public static final int ENOTSUP = 95;

  private final int errno;

  public ErrnoException(String op, Path path, int errno, String reason) {
    super(path == null ? null : path.toString(), null, op + ": " + reason);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
