package io.strata.image;

import io.strata.oci.Digest;
import io.strata.oci.History;
import io.strata.oci.ImageConfig;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.store.BlobInfo;
import io.strata.store.BlobWriter;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A new image from a parent image plus one layer (a container's changes): the parent's layers and
 * history, the new layer stored uncompressed (its digest is its diffID), a config with the given
 * runtime settings and Docker's {@code -c} changes, a Docker v2 manifest. Everything is written
 * under a lease and recorded in one transaction, so an interrupted commit leaves no image and
 * its blobs go with the lease.
 */
final class Committer {
  private final Store store;

  Committer(Store store) {
    this.store = store;
  }

  Digest commit(Image parent, Consumer<OutputStream> layer, CommitRequest req) {
    List<String> tags = req.reference() == null || req.reference().isBlank() ? List.of()
        : List.of(ImageNames.tagReference(req.reference(), "commit").toString());
    try (IngestSession session = new IngestSession(store)) {
      BlobInfo blob = writeLayer(session, layer);
      String created = Instant.now().toString();
      History entry = new History(created, req.createdBy(), emptyToNull(req.author()), emptyToNull(req.comment()), false);
      ImageConfig config = parent.config().value()
          .withCreated(created)
          .withAuthor(emptyToNull(req.author()))
          .withConfig(ImportChanges.apply(req.config(), req.changes()))
          .withLayer(blob.digest(), entry);
      Parsed<ImageConfig> parsed = Manifests.parseConfig(io.strata.oci.Json.write(config), MediaTypes.DOCKER_CONFIG);
      List<LoadCandidate.LayerSource> layers = new ArrayList<>();
      for (LayerRecord l : parent.layers()) {
        BlobInfo info = store.content().info(l.blobDigest()).orElseThrow(() ->
            new io.strata.errdefs.FailedPreconditionException("commit: layer blob " + l.blobDigest() + " is missing"));
        layers.add(new LoadCandidate.LayerSource("layer", info, l.mediaType()));
      }
      layers.add(new LoadCandidate.LayerSource("changes", blob, MediaTypes.DOCKER_LAYER));
      new ImageRecorder(store).record(List.of(new LoadCandidate("commit", null, parsed, layers, tags)), session,
          ProgressListener.NONE);
      return parsed.digest();
    }
  }

  private static BlobInfo writeLayer(IngestSession session, Consumer<OutputStream> layer) {
    try (BlobWriter w = session.writer()) {
      layer.accept(w.stream());
      return session.committed(w.commit(w.written(), null));
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
