package io.strata.image;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Descriptor;
import io.strata.oci.ImageConfig;
import io.strata.oci.ImageIndex;
import io.strata.oci.ImageManifest;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.OciValidator;
import io.strata.oci.Parsed;
import io.strata.oci.Platform;
import io.strata.store.BlobInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/}) as skopeo
 * {@code oci:}, umoci, containerd and docker 25+ write it. Each image manifest in the index (or,
 * for a nested index, the one for this machine's platform) becomes a candidate; names come from
 * the {@code io.containerd.image.name} annotation, or {@code org.opencontainers.image.ref.name}
 * when that is a full reference rather than a bare tag.
 */
final class OciLayoutReader {
  static final String INDEX = "index.json";
  static final String LAYOUT = "oci-layout";
  static final String IMAGE_NAME = "io.containerd.image.name";
  static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final ArchiveMembers members;

  OciLayoutReader(ArchiveMembers members) {
    this.members = members;
  }

  static boolean isLayout(ArchiveMembers members) {
    return members.has(INDEX) && members.has(LAYOUT);
  }

  List<LoadCandidate> read() {
    byte[] layout = members.bytes(members.find(LAYOUT).orElseThrow());
    wrap(LAYOUT, () -> {
      OciValidator.validate(layout, MediaTypes.OCI_LAYOUT_HEADER);
      return null;
    });
    byte[] indexBytes = members.bytes(members.find(INDEX).orElseThrow());
    Parsed<ManifestDocument> parsed = wrap(INDEX, () -> Manifests.parse(indexBytes, null));
    if (!(parsed.value() instanceof ImageIndex index)) throw invalid(INDEX, "is a manifest, not an index");
    Map<String, LoadCandidate> byConfig = new LinkedHashMap<>();
    for (Descriptor d : index.manifests()) {
      Descriptor image = MediaTypes.isIndex(d.mediaType()) ? platformManifest(d) : d;
      if (image == null || !MediaTypes.isManifest(image.mediaType())) continue; // artifacts, attestations
      LoadCandidate c = candidate(image, tags(d));
      byConfig.merge(c.config().digest().toString(), c, (a, b) -> a.withTags(b.tags()));
    }
    return new ArrayList<>(byConfig.values());
  }

  private LoadCandidate candidate(Descriptor d, List<String> tags) {
    String where = member(d);
    Parsed<ManifestDocument> parsed = wrap(where, () -> Manifests.parse(blobBytes(d, INDEX), d.mediaType()));
    if (!(parsed.value() instanceof ImageManifest manifest)) throw invalid(where, "is not an image manifest");
    Descriptor cd = manifest.config();
    Parsed<ImageConfig> config = wrap(member(cd), () -> Manifests.parseConfig(blobBytes(cd, where), cd.mediaType()));
    List<LoadCandidate.LayerSource> layers = new ArrayList<>();
    for (Descriptor ld : manifest.layers()) {
      layers.add(new LoadCandidate.LayerSource(member(ld), blob(ld, where), ld.mediaType()));
    }
    return new LoadCandidate(where, parsed, config, layers, tags);
  }

  /** The manifest of a nested index for this machine's platform (or its only manifest). */
  private Descriptor platformManifest(Descriptor d) {
    String where = member(d);
    Parsed<ManifestDocument> parsed = wrap(where, () -> Manifests.parse(blobBytes(d, INDEX), d.mediaType()));
    if (!(parsed.value() instanceof ImageIndex nested)) throw invalid(where, "is not an index");
    Platform here = Platform.current();
    List<Descriptor> images = nested.manifests().stream().filter(m -> MediaTypes.isManifest(m.mediaType())).toList();
    for (Descriptor m : images) {
      Platform p = m.platform();
      if (p != null && here.os().equals(p.os()) && here.architecture().equals(p.architecture())
          && members.blob(m.digest()).isPresent()) {
        return m;
      }
    }
    if (images.size() == 1) return images.getFirst();
    throw invalid(where, "no manifest for platform " + here + " in this index");
  }

  private List<String> tags(Descriptor d) {
    String name = d.annotation(IMAGE_NAME);
    if (name == null || name.isEmpty()) {
      String ref = d.annotation(REF_NAME);
      if (ref == null || !(ref.contains("/") || ref.contains(":"))) return List.of(); // a bare tag names no repository
      name = ref;
    }
    return List.of(ImageNames.tagReference(name, "load: " + INDEX + ": annotation").toString());
  }

  private BlobInfo blob(Descriptor d, String referrer) {
    BlobInfo blob = members.blob(d.digest())
        .orElseThrow(() -> invalid(referrer, "blob " + member(d) + " not found in archive"));
    if (blob.size() != d.size()) {
      throw invalid(referrer, "blob " + member(d) + " has " + blob.size() + " bytes, descriptor says " + d.size());
    }
    return blob;
  }

  private byte[] blobBytes(Descriptor d, String referrer) {
    return members.blobBytes(blob(d, referrer), member(d));
  }

  private static String member(Descriptor d) {
    return "blobs/" + d.digest().algorithm() + "/" + d.digest().encoded();
  }

  private static <T> T wrap(String where, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (InvalidArgumentException e) {
      if (e.getMessage().startsWith("load: ")) throw e;
      throw new InvalidArgumentException("load: " + where + ": " + e.getMessage(), e);
    }
  }

  private static InvalidArgumentException invalid(String where, String what) {
    return new InvalidArgumentException("load: " + where + ": " + what);
  }
}
