package io.strata.registry;

import io.strata.store.LayerRecord;
import java.io.InputStream;
import java.util.List;

/**
 * Where a pull's layers are unpacked as they download (the snapshotter, which this module never
 * touches itself). Layers are unpacked bottom up, each once the ones below it are.
 */
public interface LayerUnpacker {
  /** Whether the chain {@code layers[0..index]} is unpacked already. */
  boolean unpacked(List<LayerRecord> layers, int index);

  /**
   * Unpacks layer {@code index} (those below it are unpacked) from {@code blob}, the layer's bytes as
   * stored, from the first, arriving as they download; the result must match the layer's diffID.
   * Returns the size of the uncompressed layer.
   */
  long unpack(List<LayerRecord> layers, int index, InputStream blob);

  /** For a pull that keeps blobs only. */
  LayerUnpacker NONE = new LayerUnpacker() {
    @Override
    public boolean unpacked(List<LayerRecord> layers, int index) {
      return true;
    }

    @Override
    public long unpack(List<LayerRecord> layers, int index, InputStream blob) {
      throw new IllegalStateException("no unpacker");
    }
  };
}
