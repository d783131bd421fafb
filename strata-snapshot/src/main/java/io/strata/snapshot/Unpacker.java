package io.strata.snapshot;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.ApplyOptions;
import io.strata.layer.ApplyResult;
import io.strata.layer.LayerApplier;
import io.strata.oci.ChainIds;
import io.strata.oci.Digest;
import io.strata.store.ContentStore;
import io.strata.store.LayerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Unpacks an image's layers into committed snapshots keyed by chainID, bottom up, each at most
 * once: a layer shared by several images is unpacked for the first and reused by the others. The
 * uncompressed stream must hash to the layer's diffID, or the snapshot is not kept.
 */
public final class Unpacker {
  private final ContentStore content;
  private final Snapshotter snapshotter;
  private final ApplyOptions options;

  public Unpacker(ContentStore content, Snapshotter snapshotter, ApplyOptions options) {
    this.content = content;
    this.snapshotter = snapshotter;
    this.options = options;
  }

  /** Returns the chainID of the top layer (the parent for a container), or null for an image without layers. */
  public String unpack(List<LayerRecord> layers) {
    List<Digest> chain = ChainIds.chainIds(layers.stream().map(LayerRecord::diffId).toList());
    String parent = null;
    for (int i = 0; i < layers.size(); i++) {
      String key = chain.get(i).toString();
      LayerRecord layer = layers.get(i);
      snapshotter.unpack(key, parent, (dir, whiteouts, lowers) ->
          apply(layer, dir, options.withWhiteouts(whiteouts).withLowerDirs(lowers)));
      parent = key;
    }
    return parent;
  }

  /** Whether the chain {@code layers[0..index]} has its snapshot. */
  public boolean isUnpacked(List<LayerRecord> layers, int index) {
    return snapshotter.get(chainKey(layers, index)).isPresent();
  }

  /**
   * Unpacks layer {@code index} over the (unpacked) ones below it from {@code blob}, the layer's
   * stored bytes from the first (a pull passes them as they download). Returns the uncompressed size.
   */
  public long unpackLayer(List<LayerRecord> layers, int index, InputStream blob) {
    String parent = index == 0 ? null : chainKey(layers, index - 1);
    long[] size = {-1};
    snapshotter.unpack(chainKey(layers, index), parent, (dir, whiteouts, lowers) ->
        size[0] = apply(layers.get(index), blob, dir, options.withWhiteouts(whiteouts).withLowerDirs(lowers)).uncompressedSize());
    return size[0];
  }

  private static String chainKey(List<LayerRecord> layers, int index) {
    return ChainIds.chainIds(layers.subList(0, index + 1).stream().map(LayerRecord::diffId).toList()).get(index).toString();
  }

  private void apply(LayerRecord layer, java.nio.file.Path dir, ApplyOptions opts) {
    try (InputStream in = content.open(layer.blobDigest())) {
      apply(layer, in, dir, opts);
    } catch (IOException e) {
      throw new UncheckedIOException("unpack layer " + layer.blobDigest(), e);
    }
  }

  private static ApplyResult apply(LayerRecord layer, InputStream in, java.nio.file.Path dir, ApplyOptions opts) {
    ApplyResult r = new LayerApplier().apply(in, dir, opts);
    if (!r.diffId().equals(layer.diffId())) {
      throw new InvalidArgumentException("layer " + layer.blobDigest() + ": uncompressed content is "
          + r.diffId() + ", the image config says " + layer.diffId());
    }
    return r;
  }
}
