package io.strata.image;

import io.strata.oci.Digest;
import io.strata.oci.History;
import io.strata.oci.ImageConfig;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A new image from a parent image plus one layer (a container's changes), through an
 * {@link ImageAssembly}: the parent's layers and history, the new layer stored uncompressed, a
 * config with the given runtime settings and Docker's {@code -c} changes. An interrupted commit
 * leaves no image, and its blobs go with the assembly's lease.
 */
final class Committer {
  private final Store store;

  Committer(Store store) {
    this.store = store;
  }

  Digest commit(Image parent, Consumer<OutputStream> layer, CommitRequest req) {
    List<String> tags = req.reference() == null || req.reference().isBlank() ? List.of() : List.of(req.reference());
    try (ImageAssembly assembly = new ImageAssembly(store, "commit")) {
      LayerRecord added = assembly.writeLayer(layer);
      String created = Instant.now().toString();
      History entry = new History(created, req.createdBy(), emptyToNull(req.author()), emptyToNull(req.comment()), false);
      ImageConfig config = parent.config().value()
          .withCreated(created)
          .withAuthor(emptyToNull(req.author()))
          .withConfig(ImportChanges.apply(req.config(), req.changes()))
          .withLayer(added.diffId(), entry);
      List<LayerRecord> layers = new ArrayList<>(parent.layers());
      layers.add(added);
      return assembly.record(config, layers, tags);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
