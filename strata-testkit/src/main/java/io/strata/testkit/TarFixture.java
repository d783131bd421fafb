package io.strata.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tar stream built from a list of {@link TarEntrySpec}s, in the spirit of containerd's {@code tartest}:
 * {@code TarFixture.of(dir("etc", 0755), symlink("/etc", "localetc"), file("localetc/unbroken", "x", 0644))}.
 *
 * <p>The encoder is its own (not Commons Compress) so that it writes exactly what a hostile layer
 * would: names are not cleaned, PAX values are raw bytes, sizes may lie. Output is ustar with PAX
 * extended headers where a field does not fit.
 */
public final class TarFixture {
  private static final int BLOCK = 512;
  private final List<TarEntrySpec> entries;
  private final byte[] trailing;

  private TarFixture(List<TarEntrySpec> entries, byte[] trailing) {
    this.entries = List.copyOf(entries);
    this.trailing = trailing;
  }

  public static TarFixture of(TarEntrySpec... entries) {
    return new TarFixture(Arrays.asList(entries), new byte[0]);
  }

  public static TarFixture of(List<TarEntrySpec> entries) {
    return new TarFixture(entries, new byte[0]);
  }

  public List<TarEntrySpec> entries() {
    return entries;
  }

  /** The same entries followed by {@code extra} bytes after the two end-of-archive blocks. */
  public TarFixture withTrailingBytes(byte[] extra) {
    return new TarFixture(entries, extra.clone());
  }

  public static TarEntrySpec dir(String name, int mode) {
    return TarEntrySpec.of('5', name, "", new byte[0], mode);
  }

  public static TarEntrySpec file(String name, String body, int mode) {
    return file(name, body.getBytes(StandardCharsets.UTF_8), mode);
  }

  public static TarEntrySpec file(String name, byte[] body, int mode) {
    return TarEntrySpec.of('0', name, "", body.clone(), mode);
  }

  public static TarEntrySpec symlink(String target, String name) {
    return TarEntrySpec.of('2', name, target, new byte[0], 0777);
  }

  public static TarEntrySpec hardlink(String target, String name) {
    return TarEntrySpec.of('1', name, target, new byte[0], 0644);
  }

  /** An OCI whiteout for {@code path}: an empty file {@code dir/.wh.base}. */
  public static TarEntrySpec whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String name = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
    return file(name, new byte[0], 0644);
  }

  /** An OCI opaque marker {@code dir/.wh..wh..opq}; {@code ""} marks the root. */
  public static TarEntrySpec opaque(String dir) {
    return file(dir.isEmpty() ? ".wh..wh..opq" : dir + "/.wh..wh..opq", new byte[0], 0644);
  }

  public static TarEntrySpec charDev(String name, int major, int minor, int mode) {
    return TarEntrySpec.of('3', name, "", new byte[0], mode).withDevice(major, minor);
  }

  public static TarEntrySpec blockDev(String name, int major, int minor, int mode) {
    return TarEntrySpec.of('4', name, "", new byte[0], mode).withDevice(major, minor);
  }

  public static TarEntrySpec fifo(String name, int mode) {
    return TarEntrySpec.of('6', name, "", new byte[0], mode);
  }

  /** Any typeflag, for unsupported or unknown entry types. */
  public static TarEntrySpec raw(char type, String name, byte[] body) {
    return TarEntrySpec.of(type, name, "", body.clone(), 0644);
  }

  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (TarEntrySpec e : entries) {
      writeEntry(out, e);
    }
    out.writeBytes(new byte[2 * BLOCK]);
    out.writeBytes(trailing);
    return out.toByteArray();
  }

  public InputStream stream() {
    return new ByteArrayInputStream(bytes());
  }

  private static void writeEntry(ByteArrayOutputStream out, TarEntrySpec e) {
    if (e.gnuLongName() != null) {
      byte[] data = Arrays.copyOf(e.gnuLongName(), e.gnuLongName().length + 1);
      writeHeader(out, "././@LongLink".getBytes(StandardCharsets.US_ASCII), 'L', "", data.length, 0644, 0, 0, 0, 0, 0);
      writePadded(out, data);
    }
    byte[] link = e.linkName().getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> pax = new LinkedHashMap<>();
    if (e.name().length > 100) pax.put("path", e.name());
    if (link.length > 100) pax.put("linkpath", link);
    if (e.declaredSize() > 077777777777L) pax.put("size", String.valueOf(e.declaredSize()).getBytes(StandardCharsets.US_ASCII));
    pax.putAll(e.pax());
    if (!pax.isEmpty()) {
      byte[] records = paxRecords(pax);
      byte[] paxName = ("PaxHeaders/" + lastPart(e)).getBytes(StandardCharsets.UTF_8);
      writeHeader(out, paxName, 'x', "", records.length, 0644, 0, 0, 0, 0, 0);
      writePadded(out, records);
    }
    long size = Math.min(e.declaredSize(), 077777777777L);
    writeHeader(out, e.name(), e.type(), e.linkName(), size, e.mode(), e.uid(), e.gid(), e.mtime(), e.devMajor(), e.devMinor());
    writePadded(out, e.body());
  }

  private static String lastPart(TarEntrySpec e) {
    String n = e.nameString();
    n = n.length() > 80 ? n.substring(n.length() - 80) : n;
    return n.replace('\0', '_');
  }

  static byte[] paxRecords(Map<String, byte[]> pax) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : pax.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int body = 1 + key.length + 1 + r.getValue().length + 1; // ' ' key '=' value '\n'
      int len = body + String.valueOf(body).length();
      if (String.valueOf(len).length() != String.valueOf(body).length()) len++;
      out.writeBytes(String.valueOf(len).getBytes(StandardCharsets.US_ASCII));
      out.write(' ');
      out.writeBytes(key);
      out.write('=');
      out.writeBytes(r.getValue());
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static void writeHeader(ByteArrayOutputStream out, byte[] name, char type, String linkName, long size,
      int mode, long uid, long gid, long mtime, int major, int minor) {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, mode & 07777);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, Math.max(0, mtime));
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    byte[] link = linkName.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    octal(h, 329, 8, major);
    octal(h, 337, 8, minor);
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    byte[] chk = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(chk, 0, h, 148, 8);
    out.writeBytes(h);
  }

  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) throw new IllegalArgumentException("tar fixture: value " + value + " does not fit " + len + " bytes");
    s = "0".repeat(len - 1 - s.length()) + s;
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
  }

  private static void writePadded(ByteArrayOutputStream out, byte[] data) {
    out.writeBytes(data);
    int pad = (BLOCK - data.length % BLOCK) % BLOCK;
    out.writeBytes(new byte[pad]);
  }
}
