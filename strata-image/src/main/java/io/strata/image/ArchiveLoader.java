package io.strata.image;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.store.Store;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code load}: spool the archive, find its images (OCI layout first, docker's manifest.json
 * otherwise; when both are present, manifest.json adds its RepoTags), verify and record them.
 * On any error nothing is recorded and the blobs this load created are removed again.
 */
final class ArchiveLoader {
  private final Store store;

  ArchiveLoader(Store store) {
    this.store = store;
  }

  LoadResult load(InputStream archive, ProgressListener progress) {
    try (IngestSession session = new IngestSession(store)) {
      ArchiveMembers members = new ArchiveSpool(store, session, progress).read(archive);
      List<LoadCandidate> candidates = candidates(members);
      if (candidates.isEmpty()) throw new InvalidArgumentException("load: archive holds no images");
      return new ImageRecorder(store).record(candidates, session, progress);
    }
  }

  private static List<LoadCandidate> candidates(ArchiveMembers members) {
    boolean docker = members.has(DockerArchiveReader.MANIFEST);
    if (OciLayoutReader.isLayout(members)) {
      List<LoadCandidate> oci = new OciLayoutReader(members).read();
      if (!docker) return oci;
      Map<String, LoadCandidate> byConfig = DockerArchiveReader.read(members).stream()
          .collect(Collectors.toMap(c -> c.config().digest().toString(), Function.identity(), (a, b) -> a.withTags(b.tags())));
      return oci.stream().map(c -> {
        LoadCandidate d = byConfig.get(c.config().digest().toString());
        return d == null ? c : c.withTags(d.tags());
      }).toList();
    }
    if (docker) return DockerArchiveReader.read(members);
    throw new InvalidArgumentException("load: archive has neither manifest.json nor an OCI layout (oci-layout, index.json)");
  }
}
