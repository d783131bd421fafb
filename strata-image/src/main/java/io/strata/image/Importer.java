package io.strata.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.Compression;
import io.strata.oci.ContainerConfig;
import io.strata.oci.Digest;
import io.strata.oci.History;
import io.strata.oci.ImageConfig;
import io.strata.oci.Json;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.oci.Platform;
import io.strata.store.BlobInfo;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code docker import}: a root filesystem tar becomes a one-layer image. The layer is stored
 * uncompressed (a gzip or zstd input is decompressed on the way), so its blob digest is its diffID
 * and {@code save} needs no recompression; the manifest is Docker v2 schema 2. The history entry
 * is docker's: the message, or {@code "Imported from -"}, and no {@code created_by}.
 */
final class Importer {
  static final String DEFAULT_COMMENT = "Imported from -";

  private final Store store;

  Importer(Store store) {
    this.store = store;
  }

  Digest importTar(InputStream rootfs, List<String> changes, String message, String reference, Platform platform) {
    List<String> tags = reference == null || reference.isBlank() ? List.of()
        : List.of(ImageNames.tagReference(reference, "import").toString());
    ContainerConfig runtime = ImportChanges.apply(ContainerConfig.empty(), changes == null ? List.of() : changes);
    try (IngestSession session = new IngestSession(store)) {
      BlobInfo layer;
      try {
        layer = session.write(Compression.decompressing(rootfs), null);
      } catch (IOException | RuntimeException e) {
        throw new InvalidArgumentException("import: read input: " + e.getMessage(), e);
      }
      requireTar(layer);
      String created = Instant.now().toString();
      String comment = message == null || message.isEmpty() ? DEFAULT_COMMENT : message;
      ImageConfig config = ImageConfig.of(platform == null ? Platform.current() : platform)
          .withCreated(created)
          .withConfig(changes == null || changes.isEmpty() ? null : runtime)
          .withLayer(layer.digest(), new History(created, null, null, comment, false));
      Parsed<ImageConfig> parsed = Manifests.parseConfig(withComment(config, comment), MediaTypes.DOCKER_CONFIG);
      LoadCandidate c = new LoadCandidate("import", null, parsed,
          List.of(new LoadCandidate.LayerSource("rootfs", layer, MediaTypes.DOCKER_LAYER)), tags);
      new ImageRecorder(store).record(List.of(c), session, ProgressListener.NONE);
      return parsed.digest();
    }
  }

  /**
   * The config's bytes with docker's top-level {@code comment} (which {@code docker inspect} shows
   * as Comment), placed after {@code architecture} as docker orders it.
   */
  private static byte[] withComment(ImageConfig config, String comment) {
    JsonNode tree = Json.mapper().valueToTree(config);
    ObjectNode out = Json.mapper().createObjectNode();
    tree.properties().forEach(e -> {
      out.set(e.getKey(), e.getValue());
      if (e.getKey().equals("architecture")) out.put("comment", comment);
    });
    if (!out.has("comment")) out.put("comment", comment);
    return Json.write(out);
  }

  /** The input must be a readable tar archive (docker refuses anything else too). */
  private void requireTar(BlobInfo layer) {
    if (layer.size() == 0) throw new InvalidArgumentException("import: input is empty");
    try (InputStream in = store.content().open(layer.digest());
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      while (tar.getNextEntry() != null) {
        // reading every header checks the whole archive
      }
    } catch (IOException e) {
      throw new InvalidArgumentException("import: input is not a tar archive: " + e.getMessage(), e);
    }
  }
}
