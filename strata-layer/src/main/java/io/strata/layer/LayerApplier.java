package io.strata.layer;

import io.strata.errdefs.FailedPreconditionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Applies an OCI layer (a tar diff, plain, gzip or zstd) onto a directory, the way containerd's
 * {@code archive.Apply} does: every path is resolved inside the root one component at a time,
 * whiteouts and opaque directories remove lower content, and the diffID is computed on the way.
 *
 * <p>Hostile input is the normal case (SECURITY.md S1–S18): an entry whose own name climbs above
 * the root, a whiteout of its own directory, an invalid name, or a bound exceeded fails the whole
 * apply with an error naming the entry; symlinks (absolute or climbing) are followed as if the
 * root were {@code /}. Nothing outside the root is written, chmodded, chowned or deleted. A failed
 * apply leaves the root partly written: callers apply into a scratch directory and discard it.
 */
public final class LayerApplier {

  /** Applies {@code layer} onto {@code root} (an existing directory). Does not close {@code layer}. */
  public ApplyResult apply(InputStream layer, Path root, ApplyOptions options) {
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      throw new FailedPreconditionException("apply layer: root " + root + " does not exist", e);
    }
    if (!Files.isDirectory(real)) {
      throw new FailedPreconditionException("apply layer: root " + root + " is not a directory");
    }
    try (InputStream in = Compression.decompressing(new KeepOpen(layer))) {
      return new ApplyRun(real, options).run(in);
    } catch (IOException e) {
      throw ApplyRun.ioError("", e);
    }
  }

  /** Lets the decompressor be closed (freeing native memory) without closing the caller's stream. */
  private static final class KeepOpen extends FilterInputStream {
    KeepOpen(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
