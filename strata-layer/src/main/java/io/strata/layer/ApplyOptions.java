package io.strata.layer;

import io.strata.sys.Syscalls;

/**
 * How a layer is applied.
 *
 * @param maxBytes bound on the uncompressed bytes of one layer (S17 gzip bombs); default 64 GiB
 * @param privileged chown entries and create device nodes; default: running as root
 * @param maxEntries bound on the number of entries of one layer; default 10^7
 * @param whiteouts how OCI whiteouts take effect; default {@link WhiteoutMode#DELETE}
 * @param lowerDirs in {@link WhiteoutMode#OVERLAY}, the layers below, topmost first: a hardlink to a
 *     file of theirs copies the file up into this layer first, as the kernel would on a write
 */
public record ApplyOptions(long maxBytes, boolean privileged, long maxEntries, WhiteoutMode whiteouts,
    java.util.List<java.nio.file.Path> lowerDirs) {
  public static final long DEFAULT_MAX_BYTES = 64L << 30;
  public static final long DEFAULT_MAX_ENTRIES = 10_000_000L;

  public ApplyOptions {
    if (maxBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("apply options: bounds must be positive");
    }
    java.util.Objects.requireNonNull(whiteouts, "whiteouts");
    lowerDirs = java.util.List.copyOf(lowerDirs);
  }

  public static ApplyOptions defaults() {
    return new ApplyOptions(DEFAULT_MAX_BYTES, Syscalls.geteuid() == 0, DEFAULT_MAX_ENTRIES, WhiteoutMode.DELETE, java.util.List.of());
  }

  public ApplyOptions withMaxBytes(long maxBytes) {
    return new ApplyOptions(maxBytes, privileged, maxEntries, whiteouts, lowerDirs);
  }

  public ApplyOptions withPrivileged(boolean privileged) {
    return new ApplyOptions(maxBytes, privileged, maxEntries, whiteouts, lowerDirs);
  }

  public ApplyOptions withMaxEntries(long maxEntries) {
    return new ApplyOptions(maxBytes, privileged, maxEntries, whiteouts, lowerDirs);
  }

  public ApplyOptions withWhiteouts(WhiteoutMode whiteouts) {
    return new ApplyOptions(maxBytes, privileged, maxEntries, whiteouts, lowerDirs);
  }

  public ApplyOptions withLowerDirs(java.util.List<java.nio.file.Path> lowerDirs) {
    return new ApplyOptions(maxBytes, privileged, maxEntries, whiteouts, lowerDirs);
  }
}
