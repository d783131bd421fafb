package io.strata.layer;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * Layer compression, detected by magic bytes and always done in-process (never by exec'ing
 * gzip/xz/unpigz: CVE-2026-41567, CVE-2014-9357). Gzip streams may hold any number of members.
 */
public enum Compression {
  NONE, GZIP, ZSTD;

  private static final int BUFFER = 64 * 1024;

  /** Detects from the first bytes of a stream (fewer than 4 bytes is fine). */
  public static Compression detect(byte[] magic) {
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) return GZIP;
    if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) return ZSTD;
    return NONE;
  }

  /** Peeks at the magic without consuming it. The returned stream is buffered and supports mark. */
  public static Compression detect(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    return detect(magic);
  }

  /** Detects the compression of {@code in} and returns a stream of its uncompressed bytes. */
  public static InputStream decompressing(InputStream in) {
    BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
    try {
      return detect(buffered).decompress(buffered);
    } catch (IOException e) {
      throw new UncheckedIOException("detect layer compression", e);
    }
  }

  public InputStream decompress(InputStream in) {
    try {
      return switch (this) {
        case NONE -> in;
        case GZIP -> new GzipMembersInputStream(in); // see there why not GZIPInputStream
        case ZSTD -> new ZstdInputStream(in);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("open " + name().toLowerCase() + " stream", e);
    }
  }

  /** A compressing stream over {@code out}; closing it finishes the stream and closes {@code out}. */
  public OutputStream compress(OutputStream out) {
    try {
      return switch (this) {
        case NONE -> out;
        case GZIP -> new GZIPOutputStream(out, BUFFER);
        case ZSTD -> new ZstdOutputStream(out);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("open " + name().toLowerCase() + " stream", e);
    }
  }

  /** The layer media type for this compression, in OCI or Docker v2 schema 2 flavour. */
  public String layerMediaType(boolean oci) {
    return switch (this) {
      case NONE -> oci ? "application/vnd.oci.image.layer.v1.tar" : "application/vnd.docker.image.rootfs.diff.tar";
      case GZIP -> oci ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip";
      // Docker has no zstd media type of its own; it uses the OCI one in both schemas.
      case ZSTD -> "application/vnd.oci.image.layer.v1.tar+zstd";
    };
  }

  /** The compression a layer media type declares (NONE for plain tar and unknown types). */
  public static Compression fromMediaType(String mediaType) {
    if (mediaType == null) return NONE;
    if (mediaType.endsWith("+gzip") || mediaType.endsWith(".tar.gzip")) return GZIP;
    if (mediaType.endsWith("+zstd") || mediaType.endsWith(".tar.zstd")) return ZSTD;
    return NONE;
  }
}
