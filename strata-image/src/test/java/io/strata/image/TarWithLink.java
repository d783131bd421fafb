package io.strata.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Rewrites a tar with one more symlink member at the end (docker 25 links layer.tar to blobs/). */
final class TarWithLink {
  private TarWithLink() {}

  static byte[] append(byte[] tar, String name, String target) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar));
        TarArchiveOutputStream o = new TarArchiveOutputStream(out)) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        o.putArchiveEntry(e);
        in.transferTo(o);
        o.closeArchiveEntry();
      }
      TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      link.setLinkName(target);
      o.putArchiveEntry(link);
      o.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
