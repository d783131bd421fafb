package io.strata.layer;

import io.strata.errdefs.ResourceExhaustedException;
import io.strata.oci.Digester;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** DiffIDs: the sha256 of a layer's uncompressed tar stream, whatever its compression. */
public final class DiffIds {
  private DiffIds() {}

  /**
   * The diffID, uncompressed size and detected compression of a layer blob, bounded like an apply
   * ({@link ApplyOptions#defaults()}'s maxBytes). Does not close {@code blob}.
   */
  public static LayerDigests digest(InputStream blob) {
    return digest(blob, ApplyOptions.defaults().maxBytes());
  }

  /** As {@link #digest(InputStream)}; more than {@code maxBytes} uncompressed is a bomb (S17). */
  public static LayerDigests digest(InputStream blob, long maxBytes) {
    try {
      BufferedInputStream buffered = new BufferedInputStream(blob, 64 * 1024);
      Compression compression = Compression.detect(buffered);
      InputStream in = compression.decompress(buffered);
      Digester d = Digester.sha256();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        d.update(buf, 0, n);
        if (d.count() > maxBytes) {
          throw new ResourceExhaustedException(
              "layer expands to more than " + maxBytes + " bytes uncompressed (decompression bomb?)");
        }
      }
      return new LayerDigests(d.digest(), d.count(), compression);
    } catch (IOException e) {
      throw new UncheckedIOException("compute layer diffid", e);
    }
  }
}
