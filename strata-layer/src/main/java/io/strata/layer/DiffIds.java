package io.strata.layer;

import io.strata.oci.Digester;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** DiffIDs: the sha256 of a layer's uncompressed tar stream, whatever its compression. */
public final class DiffIds {
  private DiffIds() {}

  /** The diffID, uncompressed size and detected compression of a layer blob. Does not close {@code blob}. */
  public static LayerDigests digest(InputStream blob) {
    try {
      BufferedInputStream buffered = new BufferedInputStream(blob, 64 * 1024);
      Compression compression = Compression.detect(buffered);
      InputStream in = compression.decompress(buffered);
      Digester d = Digester.sha256();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        d.update(buf, 0, n);
      }
      return new LayerDigests(d.digest(), d.count(), compression);
    } catch (IOException e) {
      throw new UncheckedIOException("compute layer diffid", e);
    }
  }
}
