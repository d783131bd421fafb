package io.strata.registry;

import com.github.luben.zstd.ZstdOutputStream;
import io.strata.layer.Compression;
import io.strata.layer.ParallelGzipOutputStream;
import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.MediaTypes;
import io.strata.store.BlobInfo;
import io.strata.store.BlobWriter;
import io.strata.store.LayerRecord;
import io.strata.store.Lease;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The blob a push sends for a layer: a compressed one as stored; an uncompressed one (builds,
 * commits, loads keep layers as tar) compressed once, on every core (gzip as pigz does, or zstd), kept
 * in the store and remembered by diffID (table {@code compressed_layers}), so a second push of the
 * same layer compresses nothing and a rebuilt image with the same layers pushes the same digests.
 */
public final class LayerCompressor {
  public enum Format { GZIP, ZSTD }

  private static final int ZSTD_LEVEL = 3;

  private final Store store;
  private final Format format;
  private final boolean dockerTypes;

  /** {@code dockerTypes}: the image's manifest is Docker's, so gzip layers get Docker's media type. */
  public LayerCompressor(Store store, Format format, boolean dockerTypes) {
    this.store = store;
    this.format = format;
    this.dockerTypes = dockerTypes && format == Format.GZIP;
  }

  public Descriptor forPush(LayerRecord l, Lease lease) {
    if (Compression.fromMediaType(l.mediaType()) != Compression.NONE) {
      return Descriptor.of(l.mediaType(), l.blobDigest(), l.blobSize());
    }
    String type = format == Format.ZSTD ? MediaTypes.OCI_LAYER_ZSTD
        : dockerTypes ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP;
    Optional<Descriptor> known = store.db().read(tx -> tx.queryFirst(
        "SELECT blob_digest, blob_size FROM compressed_layers WHERE diff_id = ? AND media_type = ?",
        rs -> Descriptor.of(type, Digest.parse(rs.getString(1)), rs.getLong(2)), l.diffId(), compressionKey(type)));
    if (known.isPresent() && store.content().exists(known.get().digest())) {
      store.leases().protect(lease, known.get().digest()); // a gc cannot take it before the push ends
      if (store.content().exists(known.get().digest())) return known.get();
    }
    BlobInfo info = compress(l, lease);
    store.db().write(tx -> tx.update("INSERT INTO compressed_layers(diff_id, media_type, blob_digest, blob_size) "
        + "VALUES (?, ?, ?, ?) ON CONFLICT(diff_id, media_type) DO UPDATE SET blob_digest = excluded.blob_digest, "
        + "blob_size = excluded.blob_size", l.diffId(), compressionKey(type), info.digest(), info.size()));
    return Descriptor.of(type, info.digest(), info.size());
  }

  /** gzip layers are the same bytes under Docker's and OCI's type: one row serves both. */
  private static String compressionKey(String type) {
    return Compression.fromMediaType(type).name().toLowerCase(java.util.Locale.ROOT);
  }

  private BlobInfo compress(LayerRecord l, Lease lease) {
    try (BlobWriter w = store.content().writer(lease); InputStream in = store.content().open(l.blobDigest())) {
      OutputStream sink = new java.io.FilterOutputStream(w.stream()) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush(); // the writer's stream stays open for the commit
        }
      };
      try (OutputStream z = compressing(sink)) {
        in.transferTo(z);
      }
      return w.commit(-1, null);
    } catch (IOException e) {
      throw new UncheckedIOException("compress layer " + l.diffId(), e);
    }
  }

  private OutputStream compressing(OutputStream out) throws IOException {
    int cores = Runtime.getRuntime().availableProcessors();
    if (format == Format.GZIP) return new ParallelGzipOutputStream(out);
    ZstdOutputStream z = new ZstdOutputStream(out, ZSTD_LEVEL);
    z.setWorkers(cores);
    return z;
  }
}
