package io.strata.image;

import io.strata.layer.Compression;
import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.ImageIndex;
import io.strata.oci.ImageManifest;
import io.strata.oci.Json;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.oci.Reference;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code save}. Both formats hold an OCI image layout; {@link SaveFormat#DOCKER} adds docker's
 * {@code manifest.json} and {@code repositories} over the same blobs (as docker 25+ and
 * containerd's exporter do) and writes every layer uncompressed, named by its diffID, under a new
 * OCI manifest (the config, hence the image ID, is unchanged). {@link SaveFormat#OCI} writes the
 * blobs as stored. Shared blobs are written once.
 */
final class ArchiveWriter {
  /** One image to save and the tags (full references) to name it by. */
  record Item(Image image, List<String> tags) {}

  private static final byte[] LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final Store store;

  ArchiveWriter(Store store) {
    this.store = store;
  }

  void write(List<Item> items, SaveFormat format, OutputStream out) {
    try {
      TarSink tar = new TarSink(out);
      tar.file(OciLayoutReader.LAYOUT, LAYOUT);
      tar.dir("blobs");
      tar.dir("blobs/sha256");
      List<Descriptor> index = new ArrayList<>();
      List<Map<String, Object>> dockerManifest = new ArrayList<>();
      Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
      for (Item item : items) {
        Parsed<ManifestDocument> manifest = format == SaveFormat.DOCKER ? writeUncompressed(tar, item.image())
            : writeAsStored(tar, item.image());
        index.addAll(indexEntries(manifest, item.tags()));
        if (format == SaveFormat.DOCKER) {
          dockerManifest.add(dockerEntry(item));
          addRepositories(repositories, item);
        }
      }
      Parsed<ImageIndex> idx = Manifests.of(ImageIndex.of(MediaTypes.OCI_INDEX, index), MediaTypes.OCI_INDEX);
      tar.file(OciLayoutReader.INDEX, idx.raw());
      if (format == SaveFormat.DOCKER) {
        tar.file(DockerArchiveReader.MANIFEST, Json.write(dockerManifest));
        tar.file("repositories", Json.write(repositories));
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("save: write archive: " + e.getMessage(), e);
    }
  }

  /** Config, uncompressed layers named by diffID, and an OCI manifest over them. */
  private Parsed<ManifestDocument> writeUncompressed(TarSink tar, Image image) throws IOException {
    writeBlob(tar, image.id(), image.config().size());
    List<Descriptor> layers = new ArrayList<>();
    for (LayerRecord l : image.layers()) {
      String name = blobPath(l.diffId());
      if (!tar.contains(name)) {
        try (InputStream in = Compression.decompressing(store.content().open(l.blobDigest()))) {
          tar.file(name, l.uncompressedSize(), l.diffId(), in);
        }
      }
      layers.add(Descriptor.of(MediaTypes.OCI_LAYER, l.diffId(), l.uncompressedSize()));
    }
    Parsed<ManifestDocument> stored = image.manifest();
    Parsed<ManifestDocument> manifest = isUncompressedOci(stored, layers) ? stored : ociManifest(image, layers);
    tar.file(blobPath(manifest.digest()), manifest.raw());
    return manifest;
  }

  /** Config, layer blobs and an OCI manifest as stored (a Docker manifest is converted to OCI media types). */
  private Parsed<ManifestDocument> writeAsStored(TarSink tar, Image image) throws IOException {
    writeBlob(tar, image.id(), image.config().size());
    List<Descriptor> layers = new ArrayList<>();
    for (LayerRecord l : image.layers()) {
      writeBlob(tar, l.blobDigest(), l.blobSize());
      layers.add(Descriptor.of(MediaTypes.toOci(l.mediaType()), l.blobDigest(), l.blobSize()));
    }
    Parsed<ManifestDocument> stored = image.manifest();
    Parsed<ManifestDocument> manifest = MediaTypes.OCI_MANIFEST.equals(stored.mediaType()) ? stored : ociManifest(image, layers);
    tar.file(blobPath(manifest.digest()), manifest.raw());
    return manifest;
  }

  private void writeBlob(TarSink tar, Digest digest, long size) throws IOException {
    String name = blobPath(digest);
    if (tar.contains(name)) return;
    try (InputStream in = store.content().open(digest)) {
      tar.file(name, size, digest, in);
    }
  }

  private static boolean isUncompressedOci(Parsed<ManifestDocument> stored, List<Descriptor> layers) {
    return stored.value() instanceof ImageManifest m && MediaTypes.OCI_MANIFEST.equals(stored.mediaType())
        && m.layers().equals(layers);
  }

  private static Parsed<ManifestDocument> ociManifest(Image image, List<Descriptor> layers) {
    Descriptor config = Descriptor.of(MediaTypes.OCI_CONFIG, image.id(), image.config().size());
    ManifestDocument m = ImageManifest.of(MediaTypes.OCI_MANIFEST, config, layers);
    return Manifests.of(m, MediaTypes.OCI_MANIFEST);
  }

  /** One index entry per tag (annotated as containerd and docker do), or one unnamed entry. */
  private static List<Descriptor> indexEntries(Parsed<ManifestDocument> manifest, List<String> tags) {
    Descriptor d = Descriptor.of(MediaTypes.OCI_MANIFEST, manifest.digest(), manifest.size());
    if (tags.isEmpty()) return List.of(d);
    return tags.stream().map(t -> d.withAnnotations(Map.of(
        OciLayoutReader.IMAGE_NAME, t,
        OciLayoutReader.REF_NAME, Reference.parse(t).tag()))).toList();
  }

  private static Map<String, Object> dockerEntry(Item item) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("Config", blobPath(item.image().id()));
    e.put("RepoTags", item.tags().isEmpty() ? null : ImageNames.familiar(item.tags()));
    e.put("Layers", item.image().layers().stream().map(l -> blobPath(l.diffId())).toList());
    return e;
  }

  /** The legacy {@code repositories} file: familiar repository → tag → top layer ID. */
  private static void addRepositories(Map<String, Map<String, String>> repositories, Item item) {
    List<LayerRecord> layers = item.image().layers();
    if (layers.isEmpty()) return;
    String top = layers.getLast().diffId().encoded();
    for (String t : item.tags()) {
      Reference ref = Reference.parse(t);
      repositories.computeIfAbsent(ref.familiarName(), k -> new LinkedHashMap<>()).put(ref.tag(), top);
    }
  }

  static String blobPath(Digest d) {
    return "blobs/" + d.algorithm() + "/" + d.encoded();
  }
}
