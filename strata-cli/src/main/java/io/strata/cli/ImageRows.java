package io.strata.cli;

import io.strata.image.ImageSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How docker splits one image into listing rows: one per repository and tag (and per digest with
 * {@code --digests}), a {@code repo <none>} row for a repository known only by digest, and a single
 * {@code <none> <none>} row for a dangling image.
 */
final class ImageRows {
  static final String NONE = "<none>";

  record Row(String repository, String tag, String digest) {}

  private ImageRows() {}

  static List<Row> of(ImageSummary image, boolean showDigests) {
    if (image.repoTags().isEmpty() && image.repoDigests().isEmpty()) {
      return List.of(new Row(NONE, NONE, NONE));
    }
    Map<String, List<String>> tags = group(image.repoTags(), ':');
    Map<String, List<String>> digests = group(image.repoDigests(), '@');
    List<Row> rows = new ArrayList<>();
    tags.forEach((repo, repoTags) -> {
      List<String> repoDigests = digests.remove(repo);
      for (String tag : repoTags) {
        if (!showDigests || repoDigests == null || repoDigests.isEmpty()) {
          rows.add(new Row(repo, tag, NONE));
        } else {
          for (String digest : repoDigests) rows.add(new Row(repo, tag, digest));
        }
      }
    });
    digests.forEach((repo, repoDigests) -> {
      if (showDigests) {
        for (String digest : repoDigests) rows.add(new Row(repo, NONE, digest));
      } else {
        rows.add(new Row(repo, NONE, ""));
      }
    });
    return rows;
  }

  /** Splits familiar references "repo:tag" / "repo@digest" at the last separator of the given kind. */
  private static Map<String, List<String>> group(List<String> refs, char separator) {
    Map<String, List<String>> byRepo = new LinkedHashMap<>();
    for (String ref : refs) {
      int at = separator == '@' ? ref.indexOf('@') : tagSeparator(ref);
      if (at <= 0) continue;
      byRepo.computeIfAbsent(ref.substring(0, at), k -> new ArrayList<>()).add(ref.substring(at + 1));
    }
    return byRepo;
  }

  /** The ':' before a tag, not one of a registry port ("localhost:5000/app:1.0"). */
  private static int tagSeparator(String ref) {
    int colon = ref.lastIndexOf(':');
    return colon > ref.lastIndexOf('/') ? colon : -1;
  }
}
