package io.strata.oci;

/** Media types of the OCI image-spec and of Docker's image manifest v2 schema 2. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String OCI_LAYER_NONDIST = "application/vnd.oci.image.layer.nondistributable.v1.tar";
  public static final String OCI_LAYER_NONDIST_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  public static final String OCI_LAYER_NONDIST_ZSTD = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String OCI_DESCRIPTOR = "application/vnd.oci.descriptor.v1+json";
  /** Not a registered media type: names the {@code oci-layout} file for {@link OciValidator}. */
  public static final String OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";

  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";
  public static final String DOCKER_LAYER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  private MediaTypes() {}

  public static boolean isLayer(String mt) {
    return mt != null && switch (mt) {
      case OCI_LAYER, OCI_LAYER_GZIP, OCI_LAYER_ZSTD, OCI_LAYER_NONDIST, OCI_LAYER_NONDIST_GZIP,
           OCI_LAYER_NONDIST_ZSTD, DOCKER_LAYER, DOCKER_LAYER_GZIP, DOCKER_LAYER_ZSTD,
           DOCKER_LAYER_FOREIGN -> true;
      default -> false;
    };
  }

  /** True for layers that must not be pushed to another registry (OCI non-distributable, Docker foreign). */
  public static boolean isNonDistributable(String mt) {
    return mt != null && switch (mt) {
      case OCI_LAYER_NONDIST, OCI_LAYER_NONDIST_GZIP, OCI_LAYER_NONDIST_ZSTD, DOCKER_LAYER_FOREIGN -> true;
      default -> false;
    };
  }

  /** An image manifest (OCI or Docker v2 schema 2), not an index. */
  public static boolean isManifest(String mt) {
    return OCI_MANIFEST.equals(mt) || DOCKER_MANIFEST.equals(mt);
  }

  /** An OCI image index or a Docker manifest list. */
  public static boolean isIndex(String mt) {
    return OCI_INDEX.equals(mt) || DOCKER_MANIFEST_LIST.equals(mt);
  }

  public static boolean isConfig(String mt) {
    return OCI_CONFIG.equals(mt) || DOCKER_CONFIG.equals(mt);
  }

  /** True for Docker's media types (manifest, list, config, layers). */
  public static boolean isDocker(String mt) {
    return mt != null && mt.startsWith("application/vnd.docker.");
  }

  /**
   * The OCI equivalent of a Docker media type, as the image-spec's compatibility test maps them;
   * other types are returned unchanged.
   */
  public static String toOci(String mt) {
    if (mt == null) return null;
    return switch (mt) {
      case DOCKER_MANIFEST -> OCI_MANIFEST;
      case DOCKER_MANIFEST_LIST -> OCI_INDEX;
      case DOCKER_CONFIG -> OCI_CONFIG;
      case DOCKER_LAYER -> OCI_LAYER;
      case DOCKER_LAYER_GZIP -> OCI_LAYER_GZIP;
      case DOCKER_LAYER_ZSTD -> OCI_LAYER_ZSTD;
      case DOCKER_LAYER_FOREIGN -> OCI_LAYER_NONDIST_GZIP;
      default -> mt;
    };
  }
}
