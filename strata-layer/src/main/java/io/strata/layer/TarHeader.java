package io.strata.layer;

import java.time.Instant;
import java.util.Map;

/**
 * One logical tar entry after PAX and GNU long-name records are merged into it.
 *
 * @param name the entry name, as decoded (not yet cleaned: see {@link Names#entryPath})
 * @param mode permission bits including setuid, setgid and sticky (07777)
 * @param xattrs extended attributes from {@code SCHILY.xattr.*}, values as raw bytes
 */
record TarHeader(
    Type type,
    String name,
    String linkName,
    long size,
    int mode,
    long uid,
    long gid,
    Instant mtime,
    int devMajor,
    int devMinor,
    Map<String, byte[]> xattrs) {

  enum Type { FILE, DIR, SYMLINK, HARDLINK, CHAR, BLOCK, FIFO }

  boolean isDir() {
    return type == Type.DIR;
  }
}
