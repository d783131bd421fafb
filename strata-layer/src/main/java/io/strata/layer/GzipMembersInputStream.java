package io.strata.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Gzip (RFC 1952) with any number of members, read in a loop with constant memory, as Go's
 * {@code compress/gzip} reads layers. Written because the alternatives fail on hostile input:
 * {@code GZIPInputStream} recurses once per member (a layer of many empty members overflows the
 * stack) and silently ignores trailing garbage; Commons Compress buffers the FNAME/FCOMMENT header
 * fields whole (a gigabyte name, a gigabyte of heap). Each member's CRC32 and size are verified.
 */
final class GzipMembersInputStream extends InputStream {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final byte[] buf = new byte[64 * 1024];
  private final PushbackInputStream in;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private int lastInput;
  private boolean inMember;
  private boolean first = true;
  private boolean eof;

  GzipMembersInputStream(InputStream in) {
    this.in = new PushbackInputStream(in, buf.length);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    while (!eof) {
      if (!inMember) {
        if (!readHeader()) {
          eof = true;
          break;
        }
        inMember = true;
      }
      int n = inflate(b, off, len);
      if (n > 0) {
        crc.update(b, off, n);
        return n;
      }
      if (inflater.finished()) {
        endMember();
      } else if (inflater.needsInput()) {
        lastInput = in.read(buf, 0, buf.length);
        if (lastInput < 0) throw new EOFException("truncated gzip stream");
        inflater.setInput(buf, 0, lastInput);
      } else if (inflater.needsDictionary()) {
        throw new ZipException("gzip stream needs a preset dictionary");
      }
    }
    return -1;
  }

  private int inflate(byte[] b, int off, int len) throws ZipException {
    try {
      return inflater.inflate(b, off, len);
    } catch (DataFormatException e) {
      throw new ZipException("corrupt gzip stream: " + e.getMessage());
    }
  }

  /** Reads a member header; false at a clean end of stream after at least one member. */
  private boolean readHeader() throws IOException {
    int id1 = in.read();
    if (id1 < 0 && !first) return false;
    int id2 = in.read();
    if (id1 != 0x1f || id2 != 0x8b) {
      throw new ZipException(first ? "not in gzip format" : "garbage after gzip member");
    }
    if (readByte() != 8) throw new ZipException("unsupported gzip compression method");
    int flags = readByte();
    skip(6); // mtime, extra flags, os
    if ((flags & FEXTRA) != 0) skip(readByte() | (readByte() << 8));
    if ((flags & FNAME) != 0) skipToNul();
    if ((flags & FCOMMENT) != 0) skipToNul();
    if ((flags & FHCRC) != 0) skip(2);
    first = false;
    return true;
  }

  private void endMember() throws IOException {
    int remaining = inflater.getRemaining();
    if (remaining > 0) in.unread(buf, lastInput - remaining, remaining);
    long wantCrc = readInt();
    long wantSize = readInt();
    if (wantCrc != crc.getValue() || wantSize != (inflater.getBytesWritten() & 0xffffffffL)) {
      throw new ZipException("gzip member checksum or size mismatch");
    }
    inflater.reset();
    crc.reset();
    inMember = false;
  }

  private long readInt() throws IOException {
    return readByte() | (readByte() << 8) | (readByte() << 16) | ((long) readByte() << 24);
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) throw new EOFException("truncated gzip header");
    return b;
  }

  private void skip(int n) throws IOException {
    for (int i = 0; i < n; i++) readByte();
  }

  private void skipToNul() throws IOException {
    while (readByte() != 0) {
      // header string fields are skipped, never buffered
    }
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }
}
