package io.strata.image;

import java.util.List;

/**
 * The images part of {@code docker system df}. {@code layersSize} counts every distinct layer once
 * (uncompressed); {@code activeImages} are those used by containers, and
 * {@code reclaimableBytes} what removing every unused image would free.
 */
public record DiskUsage(List<ImageSummary> images, long layersSize, int activeImages, long reclaimableBytes) {
  public DiskUsage {
    images = List.copyOf(images);
  }
}
