package io.strata.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes tar entries as POSIX ustar, adding a PAX extended header for whatever does not fit a
 * ustar field (long names, large ids and sizes, xattrs). Deterministic: same input, same bytes.
 */
final class TarOutput {
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_8 = 07777777L;
  private static final long MAX_OCTAL_12 = 077777777777L;
  private final OutputStream out;

  TarOutput(OutputStream out) {
    this.out = out;
  }

  /** Writes the header (and PAX header if needed) of {@code h}; the caller then writes the body. */
  void putHeader(TarHeader h) throws IOException {
    byte[] name = h.name().getBytes(StandardCharsets.UTF_8);
    byte[] link = h.linkName().getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> pax = new LinkedHashMap<>();
    if (name.length > 100) pax.put("path", name);
    if (link.length > 100) pax.put("linkpath", link);
    if (h.size() > MAX_OCTAL_12) pax.put("size", ascii(h.size()));
    if (h.uid() > MAX_OCTAL_8) pax.put("uid", ascii(h.uid()));
    if (h.gid() > MAX_OCTAL_8) pax.put("gid", ascii(h.gid()));
    long mtime = h.mtime().getEpochSecond();
    if (mtime < 0 || mtime > MAX_OCTAL_12) pax.put("mtime", ascii(mtime));
    h.xattrs().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(x -> pax.put("SCHILY.xattr." + x.getKey(), x.getValue()));
    if (!pax.isEmpty()) {
      byte[] records = paxRecords(pax);
      String base = h.name().replaceAll("/+$", "");
      base = base.substring(base.lastIndexOf('/') + 1);
      writeBlock(header("PaxHeaders/" + base, 'x', "", records.length, 0644, 0, 0, 0, 0, 0));
      out.write(records);
      pad(records.length);
    }
    writeBlock(header(h.name(), typeflag(h.type()), h.linkName(), h.size(), h.mode(), h.uid(), h.gid(),
        mtime, h.devMajor(), h.devMinor()));
  }

  /** Where the caller writes the body of the entry whose header was just put. */
  OutputStream body() {
    return out;
  }

  /** Pads the body just written to a block boundary. */
  void pad(long bodySize) throws IOException {
    int pad = (int) ((BLOCK - bodySize % BLOCK) % BLOCK);
    out.write(new byte[pad]);
  }

  /** The two zero blocks that end an archive. */
  void finish() throws IOException {
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  private void writeBlock(byte[] b) throws IOException {
    out.write(b);
  }

  private static char typeflag(TarHeader.Type t) {
    return switch (t) {
      case FILE -> '0';
      case HARDLINK -> '1';
      case SYMLINK -> '2';
      case CHAR -> '3';
      case BLOCK -> '4';
      case DIR -> '5';
      case FIFO -> '6';
    };
  }

  private static byte[] header(String name, char type, String link, long size, int mode, long uid, long gid,
      long mtime, int major, int minor) {
    byte[] h = new byte[BLOCK];
    copy(name.getBytes(StandardCharsets.UTF_8), h, 0, 100);
    octal(h, 100, 8, mode & 07777);
    octal(h, 108, 8, uid > MAX_OCTAL_8 ? 0 : uid);
    octal(h, 116, 8, gid > MAX_OCTAL_8 ? 0 : gid);
    octal(h, 124, 12, size > MAX_OCTAL_12 ? 0 : size);
    octal(h, 136, 12, mtime < 0 || mtime > MAX_OCTAL_12 ? 0 : mtime);
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    copy(link.getBytes(StandardCharsets.UTF_8), h, 157, 100);
    copy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), h, 257, 8);
    octal(h, 329, 8, major);
    octal(h, 337, 8, minor);
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    copy(String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), h, 148, 8);
    return h;
  }

  private static void copy(byte[] src, byte[] h, int off, int max) {
    System.arraycopy(src, 0, h, off, Math.min(max, src.length));
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    s = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
    copy(s.getBytes(StandardCharsets.US_ASCII), h, off, len - 1);
  }

  private static byte[] ascii(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] paxRecords(Map<String, byte[]> pax) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : pax.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int body = key.length + r.getValue().length + 3; // ' ', '=', '\n'
      int len = body + Integer.toString(body).length();
      if (Integer.toString(len).length() > Integer.toString(body).length()) len++;
      b.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
      b.write(' ');
      b.writeBytes(key);
      b.write('=');
      b.writeBytes(r.getValue());
      b.write('\n');
    }
    return b.toByteArray();
  }
}
