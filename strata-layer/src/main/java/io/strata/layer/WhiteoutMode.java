package io.strata.layer;

/** How a layer's OCI whiteouts take effect on the directory it is applied to. */
public enum WhiteoutMode {
  /** The directory holds the lower layers: whiteouts delete what they name (a flattened root). */
  DELETE,
  /**
   * The directory is empty and becomes one overlayfs lower layer: {@code .wh.NAME} becomes a
   * character device 0/0 named NAME and {@code .wh..wh..opq} the xattr
   * {@code trusted.overlay.opaque=y} on its directory (the kernel's own whiteout forms).
   */
  OVERLAY
}
