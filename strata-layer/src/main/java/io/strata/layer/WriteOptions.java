package io.strata.layer;

import java.time.Instant;

/**
 * How {@link TarWriter} writes a tree.
 *
 * @param mtimeClamp when not null, no entry gets an mtime later than this (SOURCE_DATE_EPOCH style)
 * @param xattrs include extended attributes as PAX {@code SCHILY.xattr.*} records
 */
public record WriteOptions(Instant mtimeClamp, boolean xattrs) {
  public static WriteOptions defaults() {
    return new WriteOptions(null, true);
  }

  public WriteOptions withMtimeClamp(Instant clamp) {
    return new WriteOptions(clamp, xattrs);
  }

  public WriteOptions withXattrs(boolean xattrs) {
    return new WriteOptions(mtimeClamp, xattrs);
  }
}
