package io.strata.registry.server;

import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.ImageIndex;
import io.strata.oci.ImageManifest;
import io.strata.oci.ManifestDocument;
import io.strata.oci.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mark and sweep while the registry serves. Mark: every manifest of every repository (with
 * {@code deleteUntagged}, only those a tag reaches, through indexes and referrers), the manifests
 * they name and the blobs they name. The mark is run twice, so a manifest put while the first ran is
 * seen. Sweep: a blob nobody marked is deleted only when it is older than the grace period (a blob
 * an upload just made, whose manifest is still to come, is young), and its links go with it.
 */
public final class RegistryGc {
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

  public record Report(List<Digest> blobs, List<String> manifests, long bytes) {}

  private final RegistryStorage storage;

  RegistryGc(RegistryStorage storage) {
    this.storage = storage;
  }

  /** Runs a collection on the storage {@code config} names. */
  public static Report run(RegistryConfig config, boolean dryRun, boolean deleteUntagged, Duration grace) throws IOException {
    try (RegistryStorage s = config.openStorage()) {
      return new RegistryGc(s).collect(dryRun, deleteUntagged, grace);
    }
  }

  Report collect(boolean dryRun, boolean deleteUntagged, Duration grace) throws IOException {
    Instant cutoff = Instant.now().minus(grace);
    List<String> untagged = new ArrayList<>();
    Set<Digest> marked = mark(deleteUntagged, untagged);
    if (!dryRun) {
      for (String u : untagged) {
        String[] rd = u.split("@");
        storage.unlinkManifest(rd[0], Digest.parse(rd[1]));
      }
    }
    marked.addAll(mark(deleteUntagged, new ArrayList<>())); // what was put meanwhile
    Map<Digest, Long> garbage = new HashMap<>();
    storage.forEachBlob(b -> {
      if (!marked.contains(b.digest()) && b.modified().isBefore(cutoff)) garbage.put(b.digest(), b.size());
    });
    long bytes = 0;
    List<Digest> deleted = new ArrayList<>(garbage.keySet());
    deleted.sort(null);
    if (!dryRun) {
      for (String repo : storage.repositories()) {
        for (RegistryStorage.BlobEntry link : storage.links(repo)) {
          if (garbage.containsKey(link.digest())) storage.unlink(repo, link.digest());
        }
      }
      for (Digest d : deleted) storage.deleteBlob(d);
    }
    for (long b : garbage.values()) bytes += b;
    return new Report(deleted, untagged, bytes);
  }

  private Set<Digest> mark(boolean deleteUntagged, List<String> untagged) throws IOException {
    Set<Digest> marked = new HashSet<>();
    for (String repo : storage.repositories()) {
      Set<Digest> roots = new HashSet<>();
      List<Digest> all = storage.manifests(repo);
      if (deleteUntagged) {
        for (String t : storage.tags(repo)) storage.tag(repo, t).ifPresent(roots::add);
      } else {
        roots.addAll(all);
      }
      Set<Digest> kept = new HashSet<>();
      Deque<Digest> todo = new ArrayDeque<>(roots);
      while (!todo.isEmpty()) {
        Digest m = todo.pop();
        var type = storage.manifestType(repo, m);
        if (!kept.add(m) || type.isEmpty()) continue;
        for (Digest r : storage.referrers(repo, m)) todo.push(r); // artifacts of a kept manifest stay
        ManifestDocument doc = read(m, type.get());
        if (doc == null) continue;
        switch (doc) {
          case ImageManifest im -> {
            if (im.config() != null) marked.add(im.config().digest());
            for (Descriptor l : im.layers()) marked.add(l.digest());
          }
          case ImageIndex ii -> {
            for (Descriptor c : ii.manifests()) todo.push(c.digest());
          }
        }
      }
      marked.addAll(kept);
      for (Digest m : all) if (!kept.contains(m)) untagged.add(repo + "@" + m);
    }
    return marked;
  }

  /** Null when it cannot be read as a manifest: then it names nothing to keep (it was checked when it was put). */
  private ManifestDocument read(Digest m, String type) throws IOException {
    var size = storage.blobSize(m);
    if (size.isEmpty() || size.get() > RegistryHandler.MAX_MANIFEST_BYTES) return null;
    try (InputStream in = storage.readBlob(m, 0, size.get())) {
      return Manifests.parse(in.readAllBytes(), type).value();
    } catch (RuntimeException unparseable) {
      return null;
    }
  }
}
