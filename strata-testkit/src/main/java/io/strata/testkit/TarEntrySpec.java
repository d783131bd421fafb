package io.strata.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One tar entry as a test describes it. Deliberately permissive: names are written as given
 * (climbing, absolute, empty, NUL-laden) so hostile layers can be built as data.
 *
 * @param type tar typeflag ('0' file, '1' hardlink, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo, or any other)
 * @param name entry name bytes as they go on the wire (a PAX {@code path} record is added when over 100 bytes)
 * @param linkName link target for symlinks and hardlinks
 * @param body entry data
 * @param declaredSize size written in the header; normally {@code body.length}, a lie when a test wants one
 * @param pax extra PAX records written in order (values are raw bytes), xattrs go here as {@code SCHILY.xattr.*}
 * @param gnuLongName when not null, a GNU 'L' long-name entry with these bytes precedes the header
 */
public record TarEntrySpec(
    char type,
    byte[] name,
    String linkName,
    byte[] body,
    long declaredSize,
    int mode,
    long uid,
    long gid,
    long mtime,
    int devMajor,
    int devMinor,
    Map<String, byte[]> pax,
    byte[] gnuLongName) {

  /** The default mtime of fixture entries (2023-11-14T22:13:20Z), so fixtures are reproducible. */
  public static final long DEFAULT_MTIME = 1_700_000_000L;

  public TarEntrySpec {
    pax = Collections.unmodifiableMap(new LinkedHashMap<>(pax));
  }

  static TarEntrySpec of(char type, String name, String linkName, byte[] body, int mode) {
    return new TarEntrySpec(type, utf8(name), linkName, body, body.length, mode, 0, 0, DEFAULT_MTIME,
        0, 0, new LinkedHashMap<>(), null);
  }

  public String nameString() {
    return new String(name, StandardCharsets.UTF_8);
  }

  public TarEntrySpec withUid(long uid) {
    return new TarEntrySpec(type, name, linkName, body, declaredSize, mode, uid, gid, mtime, devMajor, devMinor, pax, gnuLongName);
  }

  public TarEntrySpec withGid(long gid) {
    return new TarEntrySpec(type, name, linkName, body, declaredSize, mode, uid, gid, mtime, devMajor, devMinor, pax, gnuLongName);
  }

  public TarEntrySpec withMtime(long epochSeconds) {
    return new TarEntrySpec(type, name, linkName, body, declaredSize, mode, uid, gid, epochSeconds, devMajor, devMinor, pax, gnuLongName);
  }

  public TarEntrySpec withMode(int mode) {
    return new TarEntrySpec(type, name, linkName, body, declaredSize, mode, uid, gid, mtime, devMajor, devMinor, pax, gnuLongName);
  }

  public TarEntrySpec withDevice(int major, int minor) {
    return new TarEntrySpec(type, name, linkName, body, declaredSize, mode, uid, gid, mtime, major, minor, pax, gnuLongName);
  }

  /** Adds {@code SCHILY.xattr.<key>} with a raw value. */
  public TarEntrySpec withXattr(String key, byte[] value) {
    return withPax("SCHILY.xattr." + key, value);
  }

  public TarEntrySpec withXattr(String key, String value) {
    return withXattr(key, utf8(value));
  }

  /** Adds a raw PAX record (e.g. {@code path} with a NUL inside, or a huge {@code comment}). */
  public TarEntrySpec withPax(String key, byte[] value) {
    Map<String, byte[]> p = new LinkedHashMap<>(pax);
    p.put(key, value);
    return new TarEntrySpec(type, name, linkName, body, declaredSize, mode, uid, gid, mtime, devMajor, devMinor, p, gnuLongName);
  }

  public TarEntrySpec withPax(String key, String value) {
    return withPax(key, utf8(value));
  }

  /** Puts these exact bytes in the header's name field (e.g. non-UTF-8). */
  public TarEntrySpec withRawName(byte[] rawName) {
    return new TarEntrySpec(type, rawName, linkName, body, declaredSize, mode, uid, gid, mtime, devMajor, devMinor, pax, gnuLongName);
  }

  /** Claims a size different from the body actually written. */
  public TarEntrySpec withDeclaredSize(long size) {
    return new TarEntrySpec(type, name, linkName, body, size, mode, uid, gid, mtime, devMajor, devMinor, pax, gnuLongName);
  }

  /** Precedes the entry with a GNU 'L' long-name record (which may contradict the header or PAX). */
  public TarEntrySpec withGnuLongName(String longName) {
    return new TarEntrySpec(type, name, linkName, body, declaredSize, mode, uid, gid, mtime, devMajor, devMinor, pax, utf8(longName));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
