package io.strata.image;

import io.strata.oci.Digest;
import io.strata.oci.Reference;
import io.strata.store.ImageRecord;
import io.strata.store.LayerRecord;
import io.strata.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code docker images} and {@code docker system df}: summaries with shared and unique sizes. */
final class ImageListing {
  private final Store store;

  ImageListing(Store store) {
    this.store = store;
  }

  List<ImageSummary> list(ImageService.ListOptions options) {
    List<ReferenceGlob> globs = options.referencePatterns().stream().map(ReferenceGlob::compile).toList();
    List<ImageSummary> out = new ArrayList<>();
    for (ImageSummary s : summaries()) {
      boolean dangling = s.repoTags().isEmpty();
      if (options.dangling() != null && options.dangling() != dangling) continue;
      if (globs.isEmpty()) {
        out.add(s);
        continue;
      }
      List<String> matching = s.repoTags().stream().filter(tag -> matchesAny(globs, tag)).toList();
      if (matching.isEmpty()) continue; // dangling images never match a reference filter
      out.add(new ImageSummary(s.id(), matching, s.repoDigests(), s.created(), s.size(), s.sharedSize(),
          s.uniqueSize(), s.containers()));
    }
    return out;
  }

  DiskUsage diskUsage() {
    List<ImageSummary> images = summaries();
    Map<Digest, Long> distinct = new HashMap<>();
    for (ImageRecord r : store.images().list()) {
      for (LayerRecord l : store.images().layers(r.id())) distinct.put(l.diffId(), l.uncompressedSize());
    }
    long total = distinct.values().stream().mapToLong(Long::longValue).sum();
    // an image a container uses is active; what only unused images hold is reclaimable
    List<Digest> used = store.db().read(tx -> tx.query("SELECT DISTINCT image_id FROM containers",
        rs -> Digest.parse(rs.getString(1))));
    Map<Digest, Long> kept = new HashMap<>();
    int active = 0;
    for (Digest id : used) {
      if (store.images().get(id).isEmpty()) continue;
      active++;
      for (LayerRecord l : store.images().layers(id)) kept.put(l.diffId(), l.uncompressedSize());
    }
    return new DiskUsage(images, total, active, total - kept.values().stream().mapToLong(Long::longValue).sum());
  }

  /** docker's FamiliarMatch: the pattern against {@code name:tag}, then against the name alone. */
  private static boolean matchesAny(List<ReferenceGlob> globs, String familiarTag) {
    Reference ref = Reference.parseNormalizedNamed(familiarTag);
    String name = ref.familiarName();
    return globs.stream().anyMatch(g -> g.matches(familiarTag) || g.matches(name));
  }

  private List<ImageSummary> summaries() {
    Map<Digest, List<String>> tags = store.images().allTags();
    Map<Digest, List<String>> digests = store.images().allRepoDigests();
    Map<ImageRecord, List<LayerRecord>> layers = new LinkedHashMap<>();
    Map<Digest, Integer> users = new HashMap<>();
    for (ImageRecord r : store.images().list()) {
      List<LayerRecord> ls = store.images().layers(r.id());
      layers.put(r, ls);
      Set<Digest> distinct = new HashSet<>();
      for (LayerRecord l : ls) if (distinct.add(l.diffId())) users.merge(l.diffId(), 1, Integer::sum);
    }
    List<ImageSummary> out = new ArrayList<>();
    layers.forEach((r, ls) -> {
      long shared = 0;
      Set<Digest> seen = new HashSet<>();
      for (LayerRecord l : ls) {
        if (seen.add(l.diffId()) && users.get(l.diffId()) > 1) shared += l.uncompressedSize();
      }
      out.add(new ImageSummary(r.id(), ImageNames.familiar(tags.getOrDefault(r.id(), List.of())),
          ImageNames.familiar(digests.getOrDefault(r.id(), List.of())),
          r.created(), r.size(), shared, r.size() - shared, 0));
    });
    return out;
  }
}
