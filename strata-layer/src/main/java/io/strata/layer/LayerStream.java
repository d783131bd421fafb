package io.strata.layer;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.oci.Digest;
import io.strata.oci.Digester;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The uncompressed bytes of a layer: hashed for the diffID, counted, and bounded. Every byte
 * read, including any after the tar end blocks, goes into the digest.
 */
final class LayerStream extends FilterInputStream {
  private final Digester digester = Digester.sha256();
  private final long maxBytes;
  private String entry = "";

  LayerStream(InputStream in, long maxBytes) {
    super(in);
    this.maxBytes = maxBytes;
  }

  /** Names the entry being read, for the message when the bound is hit. */
  void entry(String name) {
    this.entry = name;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      // a corrupt gzip/zstd stream, or a source that failed: either way the layer cannot be read
      throw new InvalidArgumentException(Names.entryPrefix(entry) + "corrupt or truncated layer stream: "
          + e.getMessage(), e);
    }
    if (n > 0) {
      digester.update(b, off, n);
      if (digester.count() > maxBytes) {
        throw new ResourceExhaustedException(
            Names.entryPrefix(entry) + "layer exceeds " + maxBytes + " uncompressed bytes");
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
    long left = n;
    while (left > 0) {
      int r = read(buf, 0, (int) Math.min(left, buf.length));
      if (r < 0) break;
      left -= r;
    }
    return n - left;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads whatever follows the tar end marker, so the digest covers the whole stream. */
  void drain() throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (read(buf, 0, buf.length) >= 0) {
      // hashed by read
    }
  }

  long count() {
    return digester.count();
  }

  Digest digest() {
    return digester.digest();
  }
}
