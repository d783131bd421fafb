package io.strata.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Digest;
import io.strata.oci.History;
import io.strata.oci.ImageConfig;
import io.strata.oci.Json;
import io.strata.store.ImageRecord;
import io.strata.store.LayerRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Read-only views of one image: {@code docker history} rows and {@code docker image inspect}. */
final class ImageViews {
  /** Go's zero time, which docker prints for times it does not know. */
  static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private ImageViews() {}

  /**
   * Newest first. Each non-empty history entry takes the next layer (bottom up) and its size; the
   * top entry carries the image ID, the others have no image of their own ({@code <missing>}).
   */
  static List<HistoryEntry> history(Image image) {
    List<LayerRecord> layers = image.layers();
    List<HistoryEntry> rows = new ArrayList<>();
    int next = 0;
    for (History h : image.config().value().history()) {
      long size = 0;
      if (!h.emptyLayer() && next < layers.size()) size = layers.get(next++).uncompressedSize();
      rows.add(new HistoryEntry(HistoryEntry.MISSING, instant(h.created()), nullToEmpty(h.createdBy()), size,
          nullToEmpty(h.comment()), h.emptyLayer()));
    }
    Collections.reverse(rows);
    if (!rows.isEmpty()) {
      HistoryEntry top = rows.getFirst();
      rows.set(0, new HistoryEntry(image.id().toString(), top.created(), top.createdBy(), top.size(), top.comment(),
          top.emptyLayer()));
    }
    return rows;
  }

  static ImageInspect inspect(Image image, ImageRecord record, List<String> repoDigests) {
    ImageConfig config = image.config().value();
    JsonNode raw = Json.readTree(image.config().raw(), "config " + image.id());
    List<String> diffIds = config.diffIds().stream().map(Digest::toString).toList();
    String lastTagTime = image.repoTags().isEmpty() ? ZERO_TIME : record.loadedAt().toString();
    return new ImageInspect(image.id().toString(), image.repoTags(), ImageNames.familiar(repoDigests), "", comment(raw),
        config.created() == null ? ZERO_TIME : config.created(), text(raw, "container"),
        DockerConfigView.containerConfig(raw), text(raw, "docker_version"),
        nullToEmpty(config.author()), DockerConfigView.of(raw), nullToEmpty(config.architecture()), config.variant(),
        nullToEmpty(config.os()), config.osVersion(), image.size(),
        new ImageInspect.RootFs("layers", diffIds), new ImageInspect.Metadata(lastTagTime));
  }

  /** Docker's: the config's {@code comment}, else the last history entry's (a commit message, BuildKit's comment). */
  private static String comment(JsonNode raw) {
    String comment = text(raw, "comment");
    JsonNode history = raw.path("history");
    if (comment.isEmpty() && !history.isEmpty()) comment = text(history.get(history.size() - 1), "comment");
    return comment;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : "";
  }

  static Instant instant(String rfc3339) {
    if (rfc3339 == null || rfc3339.isEmpty()) return null;
    try {
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
