package io.strata.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Protects blobs written under it from garbage collection until it is closed or expires (the
 * containerd lease): write a whole image's blobs under one lease, record the image (whose refs then
 * protect them), close the lease.
 */
public final class Lease implements AutoCloseable {
  private final String id;
  private final Instant expiresAt;
  private final LeaseManager manager;

  Lease(String id, Instant expiresAt, LeaseManager manager) {
    this.id = Objects.requireNonNull(id);
    this.expiresAt = Objects.requireNonNull(expiresAt);
    this.manager = manager;
  }

  public String id() {
    return id;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  /** Removes the lease and its references; blobs nothing else references become collectable. */
  @Override
  public void close() {
    manager.delete(id);
  }

  @Override
  public String toString() {
    return "lease " + id;
  }
}
