package io.strata.image;

import io.strata.errdefs.DataLossException;
import io.strata.layer.ApplyOptions;
import io.strata.layer.ApplyResult;
import io.strata.store.FileTrees;
import io.strata.layer.Flattener;
import io.strata.layer.TarWriter;
import io.strata.layer.WriteOptions;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code image export}: the image's layers applied bottom-up into a scratch directory inside the
 * store (same file system, removed afterwards), written out as one reproducible tar.
 */
final class Exporter {
  private final Store store;

  Exporter(Store store) {
    this.store = store;
  }

  void export(Image image, OutputStream out) {
    Path scratch;
    try {
      scratch = Files.createTempDirectory(store.tmpDir(), "export-");
    } catch (IOException e) {
      throw new UncheckedIOException("export: create scratch directory in " + store.tmpDir(), e);
    }
    try {
      Path root = Files.createDirectory(scratch.resolve("rootfs"));
      flatten(image, root);
      new TarWriter().writeTree(root, out, WriteOptions.defaults());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("export " + image.id() + ": " + e.getMessage(), e);
    } finally {
      deleteTree(scratch);
    }
  }

  private void flatten(Image image, Path root) {
    List<LayerRecord> layers = image.layers();
    List<Supplier<InputStream>> sources = layers.stream()
        .<Supplier<InputStream>>map(l -> () -> store.content().open(l.blobDigest()))
        .toList();
    List<ApplyResult> results = new Flattener().flatten(sources, root, ApplyOptions.defaults());
    for (int i = 0; i < layers.size(); i++) {
      if (!results.get(i).diffId().equals(layers.get(i).diffId())) {
        throw new DataLossException("export " + image.id() + ": layer " + layers.get(i).blobDigest()
            + " has diffID " + results.get(i).diffId() + ", expected " + layers.get(i).diffId());
      }
    }
  }

  /** Removes a scratch tree (layers may hold mode-0 directories). */
  static void deleteTree(Path dir) {
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("export: remove scratch directory " + dir, e);
    }
  }
}
