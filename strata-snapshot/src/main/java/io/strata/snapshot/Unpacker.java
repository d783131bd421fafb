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

  private void apply(LayerRecord layer, java.nio.file.Path dir, ApplyOptions opts) {
    try (InputStream in = content.open(layer.blobDigest())) {
      ApplyResult r = new LayerApplier().apply(in, dir, opts);
      if (!r.diffId().equals(layer.diffId())) {
        throw new InvalidArgumentException("layer " + layer.blobDigest() + ": uncompressed content is "
            + r.diffId() + ", the image config says " + layer.diffId());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unpack layer " + layer.blobDigest(), e);
    }
  }
}
