package io.strata.image;

import io.strata.oci.Digest;
import io.strata.oci.ImageConfig;
import io.strata.oci.Json;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.store.BlobInfo;
import io.strata.store.BlobWriter;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Making images from parts, as a build does: layer blobs written under one lease (they survive
 * until the images that use them are recorded, or are removed when the assembly closes unused),
 * then images recorded from a config and their layers, with a Docker v2 manifest, in one transaction.
 */
public final class ImageAssembly implements AutoCloseable {
  private final Store store;
  private final String what; // names the command in errors about a tag
  private final IngestSession session;

  public ImageAssembly(ImageService images) {
    this(images.store(), "build");
  }

  ImageAssembly(Store store, String what) {
    this.store = store;
    this.what = what;
    this.session = new IngestSession(store);
  }

  /** Stores an uncompressed layer tar that {@code writer} produces; its digest is its diffID. */
  public LayerRecord writeLayer(Consumer<OutputStream> writer) {
    try (BlobWriter w = session.writer()) {
      io.strata.layer.Pipelined.write(writer, w.stream()); // the tar is made on another core than its hash and write
      BlobInfo blob = session.committed(w.commit(w.written(), null));
      return new LayerRecord(blob.digest(), blob.digest(), MediaTypes.DOCKER_LAYER, blob.size(), blob.size());
    }
  }

  /** A stored layer blob, if the store still has it (the layer cache checks before reusing a step). */
  public Optional<LayerRecord> existingLayer(Digest blob) {
    return store.content().info(blob)
        .map(b -> new LayerRecord(b.digest(), b.digest(), MediaTypes.DOCKER_LAYER, b.size(), b.size()));
  }

  /** Records an image of {@code config} (whose rootfs must list the layers' diffIDs) tagged {@code tags}; returns its ID. */
  public Digest record(ImageConfig config, List<LayerRecord> layers, List<String> tags) {
    Parsed<ImageConfig> parsed = Manifests.parseConfig(Json.write(config), MediaTypes.DOCKER_CONFIG);
    List<LoadCandidate.LayerSource> sources = new ArrayList<>();
    for (LayerRecord l : layers) {
      BlobInfo info = store.content().info(l.blobDigest()).orElseThrow(() ->
          new io.strata.errdefs.FailedPreconditionException("layer blob " + l.blobDigest() + " is missing"));
      sources.add(new LoadCandidate.LayerSource("layer", info, l.mediaType()));
    }
    List<String> full = tags.stream().map(t -> ImageNames.tagReference(t, what).toString()).toList();
    new ImageRecorder(store).record(List.of(new LoadCandidate(what, null, parsed, sources, full)), session,
        ProgressListener.NONE);
    return parsed.digest();
  }

  @Override
  public void close() {
    session.close();
  }
}
