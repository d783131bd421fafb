package io.strata.image;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.Compression;
import io.strata.layer.DiffIds;
import io.strata.layer.LayerDigests;
import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.ImageManifest;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.store.BlobInfo;
import io.strata.store.ImageRecord;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns verified candidates into stored images. Every layer's diffID is recomputed from its blob
 * and compared with the config's {@code rootfs.diff_ids} (S24); a docker-archive image gets a
 * synthesised Docker v2 schema 2 manifest over its layer blobs as stored. All images and tags of
 * one call are recorded in a single transaction.
 */
final class ImageRecorder {
  private record Verified(LoadCandidate candidate, Parsed<ManifestDocument> manifest, List<LayerRecord> layers) {}

  private final Store store;
  private final Map<Digest, LayerDigests> digested = new HashMap<>();

  ImageRecorder(Store store) {
    this.store = store;
  }

  LoadResult record(List<LoadCandidate> candidates, IngestSession session, ProgressListener progress) {
    List<Verified> verified = new ArrayList<>();
    for (LoadCandidate c : candidates) {
      verified.add(verify(c));
      session.put(c.config().raw());
    }
    for (Verified v : verified) session.put(v.manifest().raw());
    List<String> refs = new ArrayList<>();
    List<Digest> ids = new ArrayList<>();
    store.db().write(tx -> {
      for (Verified v : verified) {
        Parsed<?> config = v.candidate().config();
        store.images().put(tx, imageRecord(v), v.layers(), blobs(v));
        for (String tag : v.candidate().tags()) {
          store.images().tag(tx, tag, config.digest());
          refs.add(ImageNames.familiar(tag));
        }
        ids.add(config.digest());
        store.events().append(tx, imageEvent("load", config.digest()));
      }
      return null;
    });
    for (Digest id : ids) progress.onEvent(id.toString(), "Loaded image", 1, 1);
    return new LoadResult(refs, ids);
  }

  private Verified verify(LoadCandidate c) {
    List<Digest> diffIds = c.config().value().diffIds();
    if (diffIds.size() != c.layers().size()) {
      throw new InvalidArgumentException("load: " + c.source() + ": " + c.layers().size()
          + " layers but the config has " + diffIds.size() + " rootfs.diff_ids");
    }
    List<LayerRecord> layers = new ArrayList<>();
    for (int i = 0; i < diffIds.size(); i++) {
      LoadCandidate.LayerSource src = c.layers().get(i);
      LayerDigests d = digest(src);
      if (!d.diffId().equals(diffIds.get(i))) {
        throw new InvalidArgumentException("load: " + c.source() + ": layer " + ImageNames.quote(src.member())
            + " has diffID " + d.diffId() + " but the config's rootfs.diff_ids[" + i + "] is " + diffIds.get(i));
      }
      String mediaType = src.mediaType() != null ? src.mediaType() : d.compression().layerMediaType(false);
      layers.add(new LayerRecord(d.diffId(), src.blob().digest(), mediaType, src.blob().size(), d.uncompressedSize()));
    }
    Parsed<ManifestDocument> manifest = c.manifest() != null ? c.manifest() : dockerManifest(c, layers);
    return new Verified(c, manifest, layers);
  }

  /** The diffID of a layer blob: its own digest when it is an uncompressed tar, else the digest after decompression. */
  private LayerDigests digest(LoadCandidate.LayerSource src) {
    BlobInfo blob = src.blob();
    LayerDigests known = digested.get(blob.digest());
    if (known != null) return known;
    try (InputStream raw = store.content().open(blob.digest());
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16)) {
      Compression compression = Compression.detect(in);
      LayerDigests d = compression == Compression.NONE && Digest.SHA256.equals(blob.digest().algorithm())
          ? new LayerDigests(blob.digest(), blob.size(), Compression.NONE)
          : DiffIds.digest(in);
      digested.put(blob.digest(), d);
      return d;
    } catch (IOException | RuntimeException e) {
      throw new InvalidArgumentException("load: layer " + ImageNames.quote(src.member()) + ": cannot read: "
          + e.getMessage(), e);
    }
  }

  static Parsed<ManifestDocument> dockerManifest(LoadCandidate c, List<LayerRecord> layers) {
    Descriptor config = Descriptor.of(MediaTypes.DOCKER_CONFIG, c.config().digest(), c.config().size());
    List<Descriptor> descriptors = layers.stream()
        .map(l -> Descriptor.of(l.mediaType(), l.blobDigest(), l.blobSize()))
        .toList();
    ManifestDocument m = ImageManifest.of(MediaTypes.DOCKER_MANIFEST, config, descriptors);
    return Manifests.of(m, MediaTypes.DOCKER_MANIFEST);
  }

  /** Docker's event of an image by ID ({@code load}, {@code save}, {@code import}): named by its ID too. */
  static io.strata.store.Event imageEvent(String action, Digest id) {
    return io.strata.store.Event.of(io.strata.store.Event.IMAGE, action, id.toString(), Map.of("name", id.toString()));
  }

  private static ImageRecord imageRecord(Verified v) {
    long size = v.layers().stream().mapToLong(LayerRecord::uncompressedSize).sum();
    Parsed<ManifestDocument> m = v.manifest();
    return new ImageRecord(v.candidate().config().digest(), m.digest(), m.mediaType(), m.size(),
        v.candidate().config().value().createdInstant(), size, Instant.now());
  }

  private static Set<Digest> blobs(Verified v) {
    Set<Digest> blobs = new LinkedHashSet<>();
    blobs.add(v.manifest().digest());
    blobs.add(v.candidate().config().digest());
    for (LayerRecord l : v.layers()) blobs.add(l.blobDigest());
    return blobs;
  }
}
