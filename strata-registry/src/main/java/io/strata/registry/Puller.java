package io.strata.registry;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.StrataException;
import io.strata.layer.DiffIds;
import io.strata.layer.LayerDigests;
import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.ImageConfig;
import io.strata.oci.ImageManifest;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.oci.Platform;
import io.strata.oci.Reference;
import io.strata.store.ImageRecord;
import io.strata.store.LayerRecord;
import io.strata.store.Lease;
import io.strata.store.PartialBlob;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * {@code pull}: resolves the reference, fetches the config, then downloads every layer blob the
 * store lacks, several at once, each into a resumable {@link PartialBlob} verified at its commit,
 * while the layers are unpacked bottom up from the same bytes as they arrive (so a pulled image is
 * ready to run). Blobs already stored are not fetched; the image, its tag, its registry digest and
 * where its blobs came from are recorded in one transaction at the end. A lease protects the blobs
 * in between.
 */
public final class Puller {
  private static final Duration LEASE = Duration.ofHours(6);

  private final Store store;
  private final RegistryClient client;
  private final RegistryOptions options;
  private final LayerUnpacker unpacker;
  private final TransferProgress progress;

  public Puller(Store store, RegistryClient client, RegistryOptions options, LayerUnpacker unpacker, TransferProgress progress) {
    this.store = store;
    this.client = client;
    this.options = options;
    this.unpacker = unpacker;
    this.progress = progress;
  }

  /**
   * @param digest what the reference resolved to (the index's digest for a multi-platform image)
   * @param updated whether the name now points at another image than before the pull
   */
  public record Result(Digest imageId, Digest digest, Reference reference, boolean updated) {}

  public Result pull(Reference ref, Platform platform) {
    Reference named = ref.tag() == null && ref.digest() == null ? ref.withTag(Reference.DEFAULT_TAG) : ref;
    String repo = named.path();
    progress.line((named.digest() != null ? named.digest().toString() : named.tag()) + ": Pulling from " + familiarPath(named));
    Resolver.Resolved resolved = new Resolver(client).resolve(named, platform);
    ImageManifest m = resolved.image();
    try (Lease lease = store.leases().create(LEASE)) {
      Parsed<ImageConfig> config = config(repo, m.config(), lease);
      List<Digest> diffIds = config.value().diffIds();
      if (diffIds.size() != m.layers().size()) {
        throw new InvalidArgumentException("image " + named.familiarString() + ": the manifest has " + m.layers().size()
            + " layers, its config " + diffIds.size() + " diff_ids");
      }
      List<LayerRecord> layers = new ArrayList<>();
      for (int i = 0; i < diffIds.size(); i++) {
        Descriptor d = m.layers().get(i);
        if (!MediaTypes.isLayer(d.mediaType())) {
          throw new InvalidArgumentException("image " + named.familiarString() + ": layer " + i + " has media type "
              + RegistryErrors.clean(d.mediaType()));
        }
        layers.add(new LayerRecord(diffIds.get(i), d.digest(), d.mediaType(), d.size(), -1));
      }
      store.content().put(resolved.manifest().raw(), lease);
      if (resolved.viaIndex()) store.content().put(resolved.top().raw(), lease);
      long[] uncompressed = transfer(repo, layers, lease);
      return record(named, resolved, config, layers, uncompressed);
    }
  }

  private Parsed<ImageConfig> config(String repo, Descriptor d, Lease lease) {
    if (!store.content().exists(d.digest())) {
      HttpResponse<InputStream> r = client.send(new RegistryClient.Request("GET", client.uri("/v2/" + repo + "/blobs/" + d.digest()),
          Map.of(), null, List.of("repository:" + repo + ":pull"), true));
      if (r.statusCode() != 200) throw RegistryErrors.of(r, "config " + d.digest() + " of " + repo);
      try (InputStream in = r.body()) {
        store.content().ingest(in, d.digest(), d.size(), lease);
      } catch (IOException e) {
        throw new UncheckedIOException("read config " + d.digest(), e);
      }
    }
    try (InputStream in = store.content().open(d.digest())) {
      return Manifests.parseConfig(in.readAllBytes(), d.mediaType());
    } catch (IOException e) {
      throw new UncheckedIOException("read config " + d.digest(), e);
    }
  }

  /** One download per missing blob, a few at once, and the unpack of each layer as its bytes come. */
  private long[] transfer(String repo, List<LayerRecord> layers, Lease lease) {
    int n = layers.size();
    boolean[] unpack = new boolean[n];
    Map<Digest, CompletableFuture<Void>> downloads = new HashMap<>();
    Map<Integer, CompletableFuture<InputStream>> streams = new HashMap<>();
    for (int i = 0; i < n; i++) {
      LayerRecord l = layers.get(i);
      unpack[i] = !unpacker.unpacked(layers, i);
      boolean stored = store.content().exists(l.blobDigest());
      progress.layer(shortId(l.blobDigest()), stored ? "Already exists" : "Pulling fs layer", -1, -1);
      if (!stored && !downloads.containsKey(l.blobDigest())) {
        CompletableFuture<InputStream> stream = new CompletableFuture<>();
        streams.put(i, stream); // what unpacks the layer, or checks its diffID, as it downloads
        downloads.put(l.blobDigest(), new CompletableFuture<>());
      }
    }
    Semaphore slots = new Semaphore(options.maxConcurrentDownloads());
    BlobFetcher fetcher = new BlobFetcher(client);
    long[] sizes = new long[n];
    Map<Integer, CompletableFuture<Long>> checked = new HashMap<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        LayerRecord l = layers.get(i);
        CompletableFuture<Void> done = downloads.get(l.blobDigest());
        if (done == null || done.isDone() || indexOfFirst(layers, l.blobDigest()) != i) continue;
        CompletableFuture<InputStream> stream = streams.get(i);
        threads.submit(() -> download(repo, l, fetcher, slots, lease, stream, done));
        if (!unpack[i]) checked.put(i, CompletableFuture.supplyAsync(() -> checkDiffId(l, join(stream)), threads));
      }
      try {
        for (int i = 0; i < n; i++) {
          sizes[i] = checked.containsKey(i) ? join(checked.get(i))
              : unpackOrMeasure(layers, i, unpack[i], streams.get(i), downloads);
        }
      } catch (RuntimeException e) {
        downloads.values().forEach(f -> f.cancel(true));
        throw firstFailure(downloads.values(), e);
      }
      for (CompletableFuture<Void> f : downloads.values()) join(f);
    }
    return sizes;
  }

  private void download(String repo, LayerRecord l, BlobFetcher fetcher, Semaphore slots, Lease lease,
      CompletableFuture<InputStream> stream, CompletableFuture<Void> done) {
    String id = shortId(l.blobDigest());
    try {
      if (!slots.tryAcquire()) {
        progress.layer(id, "Waiting", -1, -1);
        slots.acquire();
      }
      try (PartialBlob partial = store.content().partial(l.blobDigest(), l.blobSize())) {
        if (store.content().exists(l.blobDigest())) { // another process finished it while we waited for its lock
          if (stream != null) stream.complete(store.content().open(l.blobDigest()));
          done.complete(null);
          progress.layer(id, "Download complete", -1, -1);
          return;
        }
        if (stream != null) stream.complete(partial.reader());
        fetcher.download(repo, Descriptor.of(l.mediaType(), l.blobDigest(), l.blobSize()), partial,
            have -> progress.layer(id, "Downloading", have, l.blobSize()));
        progress.layer(id, "Verifying Checksum", -1, -1);
        partial.commit(lease);
        progress.layer(id, "Download complete", -1, -1);
        done.complete(null);
      } finally {
        slots.release();
      }
    } catch (Throwable t) {
      if (stream != null && !stream.isDone()) stream.completeExceptionally(t);
      done.completeExceptionally(t);
    }
  }

  /** Unpacks layer {@code i} (or, when it needs none, learns its size); in order, bottom up. */
  private long unpackOrMeasure(List<LayerRecord> layers, int i, boolean unpack, CompletableFuture<InputStream> stream,
      Map<Digest, CompletableFuture<Void>> downloads) {
    LayerRecord l = layers.get(i);
    String id = shortId(l.blobDigest());
    if (!unpack) {
      Optional<LayerRecord> known = store.images().layerByDiffId(l.diffId());
      if (known.isPresent() && known.get().uncompressedSize() >= 0) return known.get().uncompressedSize();
      join(downloads.getOrDefault(l.blobDigest(), CompletableFuture.completedFuture(null)));
      return verifyDiffId(l).uncompressedSize();
    }
    InputStream in;
    if (stream != null) {
      in = join(stream);
    } else {
      join(downloads.getOrDefault(l.blobDigest(), CompletableFuture.completedFuture(null)));
      in = store.content().open(l.blobDigest());
    }
    progress.layer(id, "Extracting", -1, -1);
    try (in) {
      long size = unpacker.unpack(layers, i, in);
      join(downloads.getOrDefault(l.blobDigest(), CompletableFuture.completedFuture(null)));
      progress.layer(id, "Pull complete", -1, -1);
      return size;
    } catch (IOException e) {
      throw new UncheckedIOException("unpack layer " + l.blobDigest(), e);
    }
  }

  /** A stored layer's content must be what its config says (S24), whether or not it is unpacked. */
  private LayerDigests verifyDiffId(LayerRecord l) {
    try (InputStream in = store.content().open(l.blobDigest())) {
      return verify(l, in);
    } catch (IOException e) {
      throw new UncheckedIOException("read layer " + l.blobDigest(), e);
    }
  }

  /** The same check on a layer as it downloads, when nothing unpacks it; returns its uncompressed size. */
  private static long checkDiffId(LayerRecord l, InputStream downloading) {
    try (downloading) {
      return verify(l, downloading).uncompressedSize();
    } catch (IOException e) {
      throw new UncheckedIOException("read layer " + l.blobDigest(), e);
    }
  }

  private static LayerDigests verify(LayerRecord l, InputStream blob) {
    LayerDigests d = DiffIds.digest(blob);
    if (!d.diffId().equals(l.diffId())) {
      throw new DataLossException("layer " + l.blobDigest() + ": uncompressed content is " + d.diffId()
          + ", the image config says " + l.diffId());
    }
    return d;
  }

  private Result record(Reference named, Resolver.Resolved resolved, Parsed<ImageConfig> config, List<LayerRecord> pulled,
      long[] sizes) {
    List<LayerRecord> layers = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < pulled.size(); i++) {
      LayerRecord l = pulled.get(i);
      layers.add(new LayerRecord(l.diffId(), l.blobDigest(), l.mediaType(), l.blobSize(), sizes[i]));
      total += sizes[i];
    }
    Digest id = config.digest();
    Parsed<?> manifest = resolved.manifest();
    ImageRecord image = new ImageRecord(id, manifest.digest(), manifest.mediaType(), manifest.size(),
        config.value().createdInstant(), total, Instant.now());
    Set<Digest> blobs = new LinkedHashSet<>(List.of(id, manifest.digest()));
    layers.forEach(l -> blobs.add(l.blobDigest()));
    String repository = named.name();
    Digest top = resolved.top().digest();
    boolean[] updated = {true};
    store.db().write(tx -> {
      Optional<ImageRecord> before = store.images().get(tx, id);
      if (before.isEmpty() || !before.get().manifestDigest().equals(manifest.digest())) {
        if (before.isEmpty()) store.images().put(tx, image, layers, blobs);
        else store.images().addRefs(tx, io.strata.store.RefOwners.IMAGE, id.toString(), blobs);
      }
      if (named.tag() != null) {
        String tag = named.toString();
        updated[0] = !store.images().resolveTag(tx, tag).map(id::equals).orElse(false);
        store.images().tag(tx, tag, id);
      } else {
        updated[0] = store.images().resolveRepoDigest(repository, top).isEmpty();
      }
      store.images().addRepoDigest(tx, repository, top, id);
      BlobSources.record(tx, client.host(), named.path(), blobs);
      return null;
    });
    progress.line("Digest: " + top);
    String shown = named.familiarString();
    progress.line("Status: " + (updated[0] ? "Downloaded newer image for " : "Image is up to date for ") + shown);
    return new Result(id, top, named, updated[0]);
  }

  private static int indexOfFirst(List<LayerRecord> layers, Digest blob) {
    for (int i = 0; i < layers.size(); i++) if (layers.get(i).blobDigest().equals(blob)) return i;
    return -1;
  }

  /** docker.io/library/busybox pulls "from library/busybox"; other registries show their full name. */
  private static String familiarPath(Reference r) {
    return r.domain().equals(Reference.DEFAULT_DOMAIN) ? r.path() : r.name();
  }

  static String shortId(Digest d) {
    return d.encoded().substring(0, 12);
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.strata.errdefs.UnavailableException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The download's own failure explains an unpack that stopped for want of its bytes. */
  private static RuntimeException firstFailure(Iterable<CompletableFuture<Void>> downloads, RuntimeException unpack) {
    for (CompletableFuture<Void> f : downloads) {
      if (f.isCompletedExceptionally() && !f.isCancelled()) {
        try {
          f.join();
        } catch (java.util.concurrent.CompletionException e) {
          if (e.getCause() instanceof StrataException s) return s;
        }
      }
    }
    return unpack;
  }
}
