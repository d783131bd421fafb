package io.strata.image;

import java.time.Instant;

/**
 * One row of {@code docker history}, newest first. {@code id} is the image ID for the top entry
 * and {@code "<missing>"} for the others; {@code size} is the layer's uncompressed size, 0 for
 * {@code empty_layer} entries.
 */
public record HistoryEntry(String id, Instant created, String createdBy, long size, String comment, boolean emptyLayer) {
  public static final String MISSING = "<missing>";
}
