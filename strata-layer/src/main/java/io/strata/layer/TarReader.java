package io.strata.layer;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict, bounded reader of ustar/PAX/GNU tar streams. Our own rather than Commons Compress so
 * that every metadata read is bounded (S18: CVE-2021-35517, CVE-2023-42503), xattr values stay raw
 * bytes, and there is exactly one way a name is decoded (S16): PAX {@code path} wins over a GNU
 * long name, which wins over the ustar prefix and name fields. Sparse files are rejected.
 */
final class TarReader {
  static final int BLOCK = 512;
  static final int MAX_PAX_BYTES = 1 << 20;
  private static final int MAX_LONGNAME_BYTES = 64 * 1024;
  private static final String XATTR = "SCHILY.xattr.";

  private final LayerStream in;
  private long remaining;
  private int padding;
  private TarHeader current;

  TarReader(LayerStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive. Skips what is left of the previous body. */
  TarHeader next() throws IOException {
    skipBody();
    Map<String, byte[]> pax = new LinkedHashMap<>();
    String longName = null;
    String longLink = null;
    while (true) {
      byte[] h = new byte[BLOCK];
      int n = in.readNBytes(h, 0, BLOCK);
      if (n == 0 || (n == BLOCK && isZero(h))) return null;
      if (n < BLOCK) throw new InvalidArgumentException("layer: truncated tar header");
      verifyChecksum(h);
      char type = (char) h[156];
      String rawName = cString(h, 0, 100);
      in.entry(rawName);
      long size = number(h, 124, 12, rawName);
      switch (type) {
        case 'x' -> pax.putAll(parsePax(readMeta(size, MAX_PAX_BYTES, rawName, "pax header"), rawName));
        case 'g' -> readMeta(size, MAX_PAX_BYTES, rawName, "pax global header"); // no entry-level meaning
        case 'L' -> longName = cString(readMeta(size, MAX_LONGNAME_BYTES, rawName, "gnu long name"));
        case 'K' -> longLink = cString(readMeta(size, MAX_LONGNAME_BYTES, rawName, "gnu long link"));
        default -> {
          current = header(h, type, size, pax, longName, longLink);
          in.entry(current.name());
          remaining = current.size();
          padding = (int) ((BLOCK - current.size() % BLOCK) % BLOCK);
          return current;
        }
      }
    }
  }

  /** The body of the current entry. Reading past its size returns end of stream. */
  InputStream body() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) return -1;
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) throw truncated();
        remaining -= n;
        return n;
      }
    };
  }

  private void skipBody() throws IOException {
    long skip = remaining + padding;
    if (skip > 0 && in.skip(skip) < skip) throw truncated();
    remaining = 0;
    padding = 0;
  }

  private InvalidArgumentException truncated() {
    return new InvalidArgumentException("layer entry " + Names.quote(current.name()) + ": unexpected end of tar stream");
  }

  private TarHeader header(byte[] h, char type, long size, Map<String, byte[]> pax, String longName, String longLink) {
    String name = longName != null ? longName : ustarName(h);
    String link = longLink != null ? longLink : cString(h, 157, 100);
    if (pax.containsKey("path")) name = utf8(pax.get("path"), name);
    if (pax.containsKey("linkpath")) link = utf8(pax.get("linkpath"), name);
    if (pax.containsKey("size")) size = paxLong(pax.get("size"), name);
    TarHeader.Type t = switch (type) {
      case '0', '\0', '7' -> TarHeader.Type.FILE;
      case '1' -> TarHeader.Type.HARDLINK;
      case '2' -> TarHeader.Type.SYMLINK;
      case '3' -> TarHeader.Type.CHAR;
      case '4' -> TarHeader.Type.BLOCK;
      case '5' -> TarHeader.Type.DIR;
      case '6' -> TarHeader.Type.FIFO;
      default -> throw new InvalidArgumentException(
          "layer entry " + Names.quote(name) + ": unsupported entry type " + Names.quote(String.valueOf(type)));
    };
    if (t == TarHeader.Type.FILE && name.endsWith("/") && type == '\0') t = TarHeader.Type.DIR;
    if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
      throw new InvalidArgumentException("layer entry " + Names.quote(name) + ": sparse files are not supported");
    }
    long uid = id(pax.containsKey("uid") ? paxLong(pax.get("uid"), name) : number(h, 108, 8, name), name);
    long gid = id(pax.containsKey("gid") ? paxLong(pax.get("gid"), name) : number(h, 116, 8, name), name);
    Instant mtime = pax.containsKey("mtime") ? paxTime(pax.get("mtime"), name) : Instant.ofEpochSecond(number(h, 136, 12, name));
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    pax.forEach((k, v) -> {
      if (k.startsWith(XATTR) && k.length() > XATTR.length()) xattrs.put(k.substring(XATTR.length()), v);
    });
    int mode = (int) (number(h, 100, 8, name) & 07777);
    int major = (int) number(h, 329, 8, name);
    int minor = (int) number(h, 337, 8, name);
    // As Go's archive/tar: links, devices, dirs and fifos are header-only whatever size they claim.
    long bodySize = t == TarHeader.Type.FILE ? size : 0;
    return new TarHeader(t, name, link, bodySize, mode, uid, gid, mtime, major, minor, xattrs);
  }

  /** A uid/gid must fit uid_t and not be -1 (4294967295, "leave unchanged"); 2^32 must never wrap to root. */
  private static long id(long v, String name) {
    if (v < 0 || v > 0xFFFFFFFEL) {
      throw new InvalidArgumentException("layer entry " + Names.quote(name) + ": uid or gid " + v + " out of range");
    }
    return v;
  }

  private static String ustarName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean posix = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
    String prefix = posix ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private byte[] readMeta(long size, int max, String name, String what) throws IOException {
    if (size > max) {
      throw new ResourceExhaustedException(
          "layer entry " + Names.quote(name) + ": " + what + " of " + size + " bytes exceeds " + max + " bytes");
    }
    byte[] data = in.readNBytes((int) size);
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    if (data.length < size || in.skip(pad) < pad) {
      throw new InvalidArgumentException("layer entry " + Names.quote(name) + ": unexpected end of tar stream");
    }
    return data;
  }

  /** PAX records {@code "<len> <key>=<value>\n"}; a malformed record rejects the entry. */
  static Map<String, byte[]> parsePax(byte[] data, String name) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int sp = pos;
      while (sp < data.length && sp - pos < 8 && data[sp] >= '0' && data[sp] <= '9') sp++;
      if (sp == pos || sp >= data.length || data[sp] != ' ') throw badPax(name);
      int len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
      int end = pos + len;
      if (len <= sp - pos + 1 || end > data.length || data[end - 1] != '\n') throw badPax(name);
      int eq = sp + 1;
      while (eq < end - 1 && data[eq] != '=') eq++;
      if (eq >= end - 1 || eq == sp + 1) throw badPax(name);
      String key = utf8(Arrays.copyOfRange(data, sp + 1, eq), name);
      out.put(key, Arrays.copyOfRange(data, eq + 1, end - 1));
      pos = end;
    }
    return out;
  }

  private static InvalidArgumentException badPax(String name) {
    return new InvalidArgumentException("layer entry " + Names.quote(name) + ": malformed pax header");
  }

  private static long paxLong(byte[] v, String name) {
    String s = new String(v, StandardCharsets.US_ASCII);
    if (!s.matches("[0-9]{1,18}")) {
      throw new InvalidArgumentException("layer entry " + Names.quote(name) + ": invalid pax number " + Names.quote(s));
    }
    return Long.parseLong(s);
  }

  private static Instant paxTime(byte[] v, String name) {
    String s = new String(v, StandardCharsets.US_ASCII);
    if (!s.matches("-?[0-9]{1,18}(\\.[0-9]{0,18})?")) {
      throw new InvalidArgumentException("layer entry " + Names.quote(name) + ": invalid pax mtime " + Names.quote(s));
    }
    java.math.BigDecimal t = new java.math.BigDecimal(s);
    java.math.BigDecimal secs = t.setScale(0, java.math.RoundingMode.FLOOR);
    long nanos = t.subtract(secs).movePointRight(9).longValue();
    return Instant.ofEpochSecond(secs.longValueExact(), nanos);
  }

  /** Octal (NUL/space padded) or GNU base-256 numeric field. */
  static long number(byte[] h, int off, int len, String name) {
    if ((h[off] & 0x80) != 0) {
      if ((h[off] & 0xff) == 0xff) throw badNumber(name);
      long v = h[off] & 0x7f;
      for (int i = 1; i < len; i++) {
        if ((v >>> 55) != 0) throw badNumber(name);
        v = (v << 8) | (h[off + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (h[i] == ' ' || h[i] == 0)) i++;
    for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
      if (h[i] < '0' || h[i] > '7' || (v >>> 60) != 0) throw badNumber(name);
      v = (v << 3) | (h[i] - '0');
    }
    return v;
  }

  private static InvalidArgumentException badNumber(String name) {
    return new InvalidArgumentException("layer entry " + Names.quote(name) + ": invalid numeric field in tar header");
  }

  private static void verifyChecksum(byte[] h) {
    long want = number(h, 148, 8, cString(h, 0, 100));
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += b & 0xff;
      signed += (byte) b;
    }
    if (want != unsigned && want != signed) {
      throw new InvalidArgumentException("layer: invalid tar header checksum near entry " + Names.quote(cString(h, 0, 100)));
    }
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) if (b != 0) return false;
    return true;
  }

  private static String cString(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) end++;
    return utf8(Arrays.copyOfRange(h, off, end), null);
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) end++;
    return utf8(Arrays.copyOf(data, end), null);
  }

  /** Strict UTF-8: a name that is not valid UTF-8 cannot be mapped to one path, so it is refused. */
  private static String utf8(byte[] b, String context) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      String shown = new String(b, StandardCharsets.UTF_8);
      throw new InvalidArgumentException("layer entry " + Names.quote(context != null ? context : shown)
          + ": name is not valid utf-8: " + Names.quote(shown));
    }
  }
}
