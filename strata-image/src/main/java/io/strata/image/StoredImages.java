package io.strata.image;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import io.strata.oci.ImageConfig;
import io.strata.oci.ImageManifest;
import io.strata.oci.Json;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.store.ImageRecord;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads stored images back from the store: record, manifest and config blobs, layers, tags. */
final class StoredImages {
  private final Store store;

  StoredImages(Store store) {
    this.store = store;
  }

  Image load(ImageRecord record) {
    byte[] manifestBytes = blob(record.manifestDigest(), "manifest of image " + record.id());
    Parsed<ManifestDocument> manifest = Manifests.parse(manifestBytes, record.manifestMediaType());
    String configType = manifest.value() instanceof ImageManifest m ? m.config().mediaType() : MediaTypes.OCI_CONFIG;
    Parsed<ImageConfig> config = Manifests.parseConfig(blob(record.id(), "config of image " + record.id()), configType);
    return new Image(record.id(), manifest, config, store.images().layers(record.id()),
        ImageNames.familiar(store.images().tags(record.id())));
  }

  Image load(Digest id) {
    return load(store.images().get(id).orElseThrow(() -> new NotFoundException("No such image: " + id)));
  }

  /** A stored metadata blob, bounded like every JSON document. */
  byte[] blob(Digest digest, String what) {
    try (InputStream in = store.content().open(digest)) {
      byte[] bytes = in.readNBytes(Json.MAX_DOCUMENT_BYTES + 1);
      if (bytes.length > Json.MAX_DOCUMENT_BYTES) {
        throw new DataLossException(what + ": blob " + digest + " is larger than " + Json.MAX_DOCUMENT_BYTES + " bytes");
      }
      return bytes;
    } catch (NotFoundException e) {
      throw new DataLossException(what + ": blob " + digest + " is missing from the content store", e);
    } catch (IOException e) {
      throw new UncheckedIOException("read " + what + " (" + digest + ")", e);
    }
  }
}
