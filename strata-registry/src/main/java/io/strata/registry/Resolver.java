package io.strata.registry;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.Digester;
import io.strata.oci.ImageIndex;
import io.strata.oci.ImageManifest;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.oci.Platform;
import io.strata.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a reference to the image manifest to pull: one {@code GET} with an {@code Accept} for
 * every manifest and index type, the bytes kept as sent (so the registry's digest stays the image's),
 * checked against the digest asked for or announced, bounded in size; an index or manifest list is
 * narrowed to the requested platform. Schema 1 manifests are refused.
 */
public final class Resolver {
  public static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST,
      MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
  /** What distribution and containerd accept as the largest manifest. */
  public static final int MAX_MANIFEST_BYTES = 4 << 20;

  private final RegistryClient client;

  public Resolver(RegistryClient client) {
    this.client = client;
  }

  /**
   * The pulled manifest: {@code top} is what the reference names (an index, or the manifest itself),
   * {@code manifest} the image manifest for the platform.
   */
  public record Resolved(Parsed<ManifestDocument> top, Parsed<ManifestDocument> manifest) {
    public ImageManifest image() {
      return (ImageManifest) manifest.value();
    }

    public boolean viaIndex() {
      return top.value() instanceof ImageIndex;
    }
  }

  public Resolved resolve(Reference ref, Platform platform) {
    String repo = ref.path();
    String name = ref.familiarName() + (ref.digest() != null ? "@" + ref.digest() : ":" + ref.tag());
    Parsed<ManifestDocument> top = fetch(repo, ref.digest() != null ? ref.digest().toString() : ref.tag(), ref.digest(), -1, name);
    if (top.value() instanceof ImageManifest) return new Resolved(top, top);
    Descriptor chosen = select((ImageIndex) top.value(), platform)
        .orElseThrow(() -> new NotFoundException("no matching manifest for " + platform + " in the manifest list entries"));
    chosen.digest().requireSupported(); // before it goes into a URL
    Parsed<ManifestDocument> manifest = fetch(repo, chosen.digest().toString(), chosen.digest(), chosen.size(), name);
    if (!(manifest.value() instanceof ImageManifest)) {
      throw new InvalidArgumentException("manifest " + chosen.digest() + " for " + platform + " of " + name + " is an index, not an image");
    }
    return new Resolved(top, manifest);
  }

  /** The manifest {@code reference} (a tag or digest) of {@code repo}, verified against {@code expected} when given. */
  public Parsed<ManifestDocument> fetch(String repo, String reference, Digest expected, long expectedSize, String shown) {
    HttpResponse<InputStream> r = client.send(new RegistryClient.Request("GET",
        client.uri("/v2/" + repo + "/manifests/" + reference), Map.of("Accept", ACCEPT), null,
        List.of("repository:" + repo + ":pull"), true));
    if (r.statusCode() == 404) throw (NotFoundException) RegistryErrors.of(r, "manifest for " + shown + " not found");
    if (r.statusCode() != 200) throw RegistryErrors.of(r, "pull " + shown);
    String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
    long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    byte[] raw;
    try {
      if (length > MAX_MANIFEST_BYTES) {
        r.body().close();
        throw tooLarge(shown, length);
      }
      raw = StallWatch.readBounded(r.body(), MAX_MANIFEST_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException("read manifest of " + shown, e);
    }
    if (raw.length > MAX_MANIFEST_BYTES) throw tooLarge(shown, raw.length);
    if (type.startsWith("application/vnd.docker.distribution.manifest.v1")) throw schema1(shown);
    if (expected != null) {
      Digest actual = Digester.forDigest(expected).update(raw).digest();
      if (!actual.equals(expected)) {
        throw new DataLossException("manifest " + shown + ": digest mismatch: expected " + expected + ", got " + actual);
      }
      if (expectedSize >= 0 && raw.length != expectedSize) {
        throw new DataLossException("manifest " + shown + ": size mismatch: expected " + expectedSize + " bytes, got " + raw.length);
      }
    }
    Optional<String> announced = r.headers().firstValue("Docker-Content-Digest");
    if (announced.isPresent() && expected == null) {
      Digest said;
      try {
        said = Digest.parseSupported(announced.get().strip());
      } catch (RuntimeException e) {
        throw new InvalidArgumentException("manifest " + shown + ": malformed Docker-Content-Digest " + RegistryErrors.clean(announced.get()));
      }
      Digest actual = Digester.forDigest(said).update(raw).digest();
      if (!actual.equals(said)) {
        throw new DataLossException("manifest " + shown + ": digest mismatch: the registry says " + said + ", the bytes are " + actual);
      }
    }
    if (isSchema1(raw)) throw schema1(shown);
    return Manifests.parse(raw, type.isEmpty() || type.equals("application/json") ? null : type);
  }

  /**
   * The entry for {@code platform}: same os and architecture, then the variant asked for (or, when
   * none is asked, the entry without one first); entries that are not image manifests (attestations)
   * never match.
   */
  static Optional<Descriptor> select(ImageIndex index, Platform platform) {
    Descriptor fallback = null;
    for (Descriptor d : index.manifests()) {
      Platform p = d.platform();
      if (p == null || !MediaTypes.isManifest(d.mediaType())) continue;
      if (!p.os().equals(platform.os()) || !p.architecture().equals(platform.architecture())) continue;
      String want = platform.variant() == null ? "" : platform.variant();
      String have = p.variant() == null ? "" : p.variant();
      if (want.equals(have)) return Optional.of(d);
      if (fallback == null && (have.isEmpty() || want.isEmpty())) fallback = d;
    }
    return Optional.ofNullable(fallback);
  }

  private static boolean isSchema1(byte[] raw) {
    String head = new String(raw, 0, Math.min(raw.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
    return head.matches("(?s)\\s*\\{.*\"schemaVersion\"\\s*:\\s*1\\s*[,}].*") && !head.contains("\"schemaVersion\": 2");
  }

  private static InvalidArgumentException schema1(String shown) {
    return new InvalidArgumentException("pull " + shown + ": unsupported manifest format: Docker Image manifest version 2, "
        + "schema 1 is deprecated and not supported; push the image again with a current client");
  }

  private static ResourceExhaustedException tooLarge(String shown, long size) {
    return new ResourceExhaustedException("manifest of " + shown + " is " + size + " bytes, more than the "
        + MAX_MANIFEST_BYTES + " allowed");
  }
}
