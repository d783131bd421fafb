package io.strata.errdefs;

/**
 * The small closed set of error kinds strata uses everywhere (after containerd's errdefs).
 * Callers branch on the kind, never on the message; the edges (CLI exit codes, HTTP statuses)
 * map kinds once. Messages are lowercase, context first, and name the object.
 */
public abstract sealed class StrataException extends RuntimeException
    permits NotFoundException, AlreadyExistsException, InvalidArgumentException,
        FailedPreconditionException, UnavailableException, UnauthorizedException,
        DataLossException, ResourceExhaustedException {

  protected StrataException(String message, Throwable cause) {
    super(message, cause);
  }
}
