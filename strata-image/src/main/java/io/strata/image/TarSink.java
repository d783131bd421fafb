package io.strata.image;

import io.strata.oci.Digest;
import io.strata.oci.Digester;
import io.strata.errdefs.DataLossException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an image archive as a stream: every entry's size is known before its bytes, entries
 * are owned by root, mode 0644 (directories 0755), mtime 0. A path is written at most once.
 */
final class TarSink {
  private final OutputStream out;
  private final TarArchiveOutputStream tar;
  private final Set<String> written = new HashSet<>();

  TarSink(OutputStream out) {
    this.out = out;
    this.tar = new TarArchiveOutputStream(out, 1 << 16, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  boolean contains(String name) {
    return written.contains(name);
  }

  void dir(String name) throws IOException {
    if (!written.add(name)) return;
    TarArchiveEntry e = entry(name + "/", TarArchiveEntry.LF_DIR, 0755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  void file(String name, byte[] bytes) throws IOException {
    if (!written.add(name)) return;
    TarArchiveEntry e = entry(name, TarArchiveEntry.LF_NORMAL, 0644);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  /**
   * Copies exactly {@code size} bytes from {@code in}, checking that they hash to {@code digest}
   * (a stored blob, or a layer decompressed on the way, must be what its record says).
   */
  void file(String name, long size, Digest digest, InputStream in) throws IOException {
    if (!written.add(name)) return;
    TarArchiveEntry e = entry(name, TarArchiveEntry.LF_NORMAL, 0644);
    e.setSize(size);
    tar.putArchiveEntry(e);
    Digester d = Digester.forDigest(digest);
    byte[] buf = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) throw new DataLossException("save: " + name + ": content ends after " + (size - left) + " of " + size + " bytes");
      d.update(buf, 0, n);
      tar.write(buf, 0, n);
      left -= n;
    }
    if (in.read() >= 0) throw new DataLossException("save: " + name + ": content is longer than " + size + " bytes");
    if (!d.digest().equals(digest)) {
      throw new DataLossException("save: " + name + ": content hashes to " + d.digest() + ", expected " + digest);
    }
    tar.closeArchiveEntry();
  }

  /** Writes the end-of-archive blocks and flushes; the caller's stream stays open. */
  void finish() throws IOException {
    tar.finish();
    out.flush();
  }

  private static TarArchiveEntry entry(String name, byte type, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setMode((type == TarArchiveEntry.LF_DIR ? 040000 : 0100000) | mode);
    e.setModTime(Date.from(Instant.EPOCH));
    e.setUserId(0);
    e.setGroupId(0);
    return e;
  }
}
