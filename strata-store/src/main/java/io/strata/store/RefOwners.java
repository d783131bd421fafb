package io.strata.store;

/** Owner kinds of the {@code refs} table: who keeps a blob alive (garbage-collection roots). */
public final class RefOwners {
  public static final String IMAGE = "image";
  public static final String LEASE = "lease";
  public static final String CONTAINER = "container";
  public static final String BUILD_CACHE = "build-cache";

  private RefOwners() {}
}
