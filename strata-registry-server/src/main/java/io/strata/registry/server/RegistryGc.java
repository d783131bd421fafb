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
 * {@code deleteUntagged}, only those a tag reaches, through indexes and referrers, and those put
 * within the grace period), the manifests they name and the blobs they name. The mark is run twice,
 * so a manifest put while the first ran is seen. Sweep: a blob nobody marked is deleted only when it
 * is older than the grace period, and its links go with it; upload sessions and temporary files
 * nothing has written to for the grace period are removed too.
 *
 * <p>On a live registry it is the grace period, not the mark, that protects pushes under way:
 * everything written within it is kept. A blob is young when it was stored, uploaded again, mounted or
 * otherwise linked into a repository within it (its newest link counts: a mount writes only a link,
 * and S3 does not rewrite content it holds already); a manifest when it was put within it, so the
 * children a multi-platform push sends before their index survive {@code deleteUntagged}; a session
 * when it was last written to. So a push that uploads or mounts its
 * blobs and puts its manifest within the grace period is safe. A manifest put between the second mark
 * and the sweep that names a blob left untouched for longer than the grace period and named by no
 * other manifest (a client that found it by HEAD and did not push it) can lose that blob; the manifest
 * PUT is refused (MANIFEST_BLOB_UNKNOWN) when the blob is already gone. Keep the grace period longer
 * than any push takes; to rule out even that window, collect a read-only registry.
 */
public final class RegistryGc {
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

  /** What was (or, in a dry run, would be) deleted; {@code uploads} names upload sessions and temporary files. */
  public record Report(List<Digest> blobs, List<String> manifests, long bytes, List<String> uploads) {}

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
    Set<Digest> marked = mark(deleteUntagged, cutoff, untagged);
    if (!dryRun) {
      for (String u : untagged) {
        String[] rd = u.split("@");
        storage.unlinkManifest(rd[0], Digest.parse(rd[1]));
      }
    }
    marked.addAll(mark(deleteUntagged, cutoff, new ArrayList<>())); // what was put meanwhile
    Map<Digest, Instant> linked = newestLinks(); // after the marks: a link made while they ran counts
    Map<Digest, Long> garbage = new HashMap<>();
    storage.forEachBlob(b -> {
      Instant link = linked.get(b.digest());
      boolean young = !b.modified().isBefore(cutoff) || link != null && !link.isBefore(cutoff);
      if (!marked.contains(b.digest()) && !young) garbage.put(b.digest(), b.size());
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
    List<String> uploads = storage.removeStaleUploads(cutoff, dryRun);
    return new Report(deleted, untagged, bytes, uploads);
  }

  /** For every blob some repository links, the newest of its links' times: linking again (a re-upload, a mount) refreshes it. */
  private Map<Digest, Instant> newestLinks() throws IOException {
    Map<Digest, Instant> out = new HashMap<>();
    for (String repo : storage.repositories()) {
      for (RegistryStorage.BlobEntry l : storage.links(repo)) {
        out.merge(l.digest(), l.modified(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    return out;
  }

  private Set<Digest> mark(boolean deleteUntagged, Instant cutoff, List<String> untagged) throws IOException {
    Set<Digest> marked = new HashSet<>();
    for (String repo : storage.repositories()) {
      Set<Digest> roots = new HashSet<>();
      List<Digest> all = new ArrayList<>();
      for (RegistryStorage.BlobEntry m : storage.manifests(repo)) {
        all.add(m.digest());
        // a manifest put within the grace period may be the child of an index still to come: a root
        if (!deleteUntagged || !m.modified().isBefore(cutoff)) roots.add(m.digest());
      }
      if (deleteUntagged) {
        for (String t : storage.tags(repo)) storage.tag(repo, t).ifPresent(roots::add);
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
