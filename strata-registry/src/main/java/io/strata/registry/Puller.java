package io.strata.registry;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.errdefs.UnavailableException;
import io.strata.errdefs.StrataException;
import io.strata.layer.DiffIds;
import io.strata.layer.LayerDigests;
import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.ImageConfig;
import io.strata.oci.ImageManifest;
import io.strata.oci.Json;
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
import java.util.concurrent.Future;
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

  /** The config, downloaded like a layer (resumed, verified) but bounded first: it is read whole. */
  private Parsed<ImageConfig> config(String repo, Descriptor d, Lease lease) {
    if (d.size() > Json.MAX_DOCUMENT_BYTES) {
      throw new ResourceExhaustedException("config " + d.digest() + " of " + repo + " is " + d.size()
          + " bytes, more than the " + Json.MAX_DOCUMENT_BYTES + " allowed");
    }
    if (!store.content().exists(d.digest())) {
      try (PartialBlob partial = store.content().partial(d.digest(), d.size())) {
        if (!store.content().exists(d.digest())) {
          try {
            new BlobFetcher(client).download(repo, d, partial, have -> {});
            partial.commit(lease);
          } catch (RuntimeException e) {
            if (partial.size() == 0) partial.discard();
            throw e;
          }
        }
      }
    }
    try (InputStream in = store.content().open(d.digest())) {
      return Manifests.parseConfig(in.readAllBytes(), d.mediaType());
    } catch (IOException e) {
      throw new UncheckedIOException("read config " + d.digest(), e);
    }
  }

  /**
   * One download per missing blob, a few at once, and the unpack (or the diffID check) of each
   * layer as its bytes come. The first failure stops the rest (their threads are interrupted) and is
   * the one reported.
   */
  private long[] transfer(String repo, List<LayerRecord> layers, Lease lease) {
    int n = layers.size();
    boolean[] unpack = new boolean[n];
    Map<Digest, CompletableFuture<Void>> downloads = new HashMap<>();
    Map<Integer, CompletableFuture<Source>> streams = new HashMap<>();
    for (int i = 0; i < n; i++) {
      LayerRecord l = layers.get(i);
      unpack[i] = !unpacker.unpacked(layers, i);
      boolean stored = store.content().exists(l.blobDigest());
      progress.layer(shortId(l.blobDigest()), stored ? "Already exists" : "Pulling fs layer", -1, -1);
      if (!stored && !downloads.containsKey(l.blobDigest())) {
        streams.put(i, new CompletableFuture<>()); // what unpacks the layer, or checks its diffID, as it downloads
        downloads.put(l.blobDigest(), new CompletableFuture<>());
      }
    }
    Transfers t = new Transfers(repo, new BlobFetcher(client), new Semaphore(options.maxConcurrentDownloads()), lease);
    long[] sizes = new long[n];
    Map<Integer, CompletableFuture<Long>> checked = new HashMap<>();
    List<Future<?>> tasks = new ArrayList<>();
    RuntimeException failure = null;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        LayerRecord l = layers.get(i);
        CompletableFuture<Void> done = downloads.get(l.blobDigest());
        if (done == null || done.isDone() || indexOfFirst(layers, l.blobDigest()) != i) continue;
        CompletableFuture<Source> stream = streams.get(i);
        tasks.add(threads.submit(() -> t.download(l, stream, done)));
        if (!unpack[i]) {
          checked.put(i, CompletableFuture.supplyAsync(() -> reading(join(stream), in -> verify(l, in).uncompressedSize()), threads));
        }
      }
      try {
        for (int i = 0; i < n; i++) {
          try {
            sizes[i] = checked.containsKey(i) ? join(checked.get(i))
                : unpackOrMeasure(layers, i, unpack[i], streams.get(i), downloads);
          } catch (RuntimeException readerFailed) {
            throw downloadFailureOr(downloads.get(layers.get(i).blobDigest()), readerFailed);
          }
        }
      } catch (RuntimeException e) {
        failure = e;
        t.stopping = true;
        tasks.forEach(f -> f.cancel(true));
      }
    } // waits for every download to end
    if (failure != null) throw t.firstFailure != null ? t.firstFailure : failure;
    for (CompletableFuture<Void> f : downloads.values()) join(f);
    return sizes;
  }

  /** The downloads of one pull and their first failure (those the pull itself stopped are not one). */
  private final class Transfers {
    private final String repo;
    private final BlobFetcher fetcher;
    private final Semaphore slots;
    private final Lease lease;
    volatile boolean stopping;
    volatile RuntimeException firstFailure;

    Transfers(String repo, BlobFetcher fetcher, Semaphore slots, Lease lease) {
      this.repo = repo;
      this.fetcher = fetcher;
      this.slots = slots;
      this.lease = lease;
    }

    void download(LayerRecord l, CompletableFuture<Source> stream, CompletableFuture<Void> done) {
      String id = shortId(l.blobDigest());
      try {
        if (!slots.tryAcquire()) {
          progress.layer(id, "Waiting", -1, -1);
          slots.acquire();
        }
      } catch (InterruptedException e) {
        fail(stream, done, new UnavailableException("interrupted", e));
        return;
      }
      PartialBlob opened;
      try {
        opened = store.content().partial(l.blobDigest(), l.blobSize());
      } catch (RuntimeException e) { // its waiters must hear of it, or they wait for ever
        slots.release();
        fail(stream, done, e);
        return;
      }
      try (PartialBlob partial = opened) {
        try {
          if (store.content().exists(l.blobDigest())) { // another process finished it while we waited for its lock
            stream.complete(() -> store.content().open(l.blobDigest()));
          } else {
            stream.complete(source(partial, l.blobDigest()));
            fetcher.download(repo, Descriptor.of(l.mediaType(), l.blobDigest(), l.blobSize()), partial,
                have -> progress.layer(id, "Downloading", have, l.blobSize()));
            progress.layer(id, "Verifying Checksum", -1, -1);
            partial.commit(lease);
          }
          progress.layer(id, "Download complete", -1, -1);
          done.complete(null);
        } catch (RuntimeException e) {
          fail(stream, done, e); // before the partial closes, so readers see this failure, not the close
          if (partial.size() == 0) partial.discard();
        }
      } finally {
        slots.release();
      }
    }

    private void fail(CompletableFuture<Source> stream, CompletableFuture<Void> done, RuntimeException e) {
      if (!stopping && firstFailure == null) firstFailure = e;
      if (!stream.isDone()) stream.completeExceptionally(e);
      done.completeExceptionally(e);
    }
  }

  /**
   * A layer's bytes from the first, as often as needed: a download that had to start over voids what
   * a reader read before ({@link PartialBlob.Restarted}), and the unpack or check then reads again.
   */
  @FunctionalInterface
  interface Source {
    InputStream open() throws IOException;
  }

  /** The download as it is written, or the stored blob once it is committed (the partial file is gone then). */
  private Source source(PartialBlob partial, Digest digest) {
    return () -> {
      if (store.content().exists(digest)) return store.content().open(digest);
      try {
        return partial.reader();
      } catch (java.nio.file.NoSuchFileException committedMeanwhile) {
        return store.content().open(digest);
      }
    };
  }

  /**
   * A reader of a download in progress fails on bad bytes (a broken gzip member) about when the
   * download finds they are not the digest's: that mismatch is the cause to report, so the
   * download's own outcome is awaited a moment and its failure preferred.
   */
  private static RuntimeException downloadFailureOr(CompletableFuture<Void> download, RuntimeException readerFailed) {
    if (download == null) return readerFailed;
    try {
      download.get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) return r;
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.CancellationException e) {
      // still running or stopped: the reader's failure is all there is
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return readerFailed;
  }

  /** Runs {@code use} on the source's bytes, again from a new reader when the download restarted under it. */
  private static <T> T reading(Source source, IoFunction<T> use) {
    for (int attempt = 1; ; attempt++) {
      try (InputStream in = source.open()) {
        return use.apply(in);
      } catch (IOException | RuntimeException e) {
        if (attempt >= 3 || !restarted(e)) {
          throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
      }
    }
  }

  @FunctionalInterface
  private interface IoFunction<T> {
    T apply(InputStream in) throws IOException;
  }

  private static boolean restarted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof PartialBlob.Restarted) return true;
    return false;
  }

  /** Unpacks layer {@code i} (or, when it needs none, learns its size); in order, bottom up. */
  private long unpackOrMeasure(List<LayerRecord> layers, int i, boolean unpack, CompletableFuture<Source> stream,
      Map<Digest, CompletableFuture<Void>> downloads) {
    LayerRecord l = layers.get(i);
    String id = shortId(l.blobDigest());
    CompletableFuture<Void> download = downloads.getOrDefault(l.blobDigest(), CompletableFuture.completedFuture(null));
    if (!unpack) {
      // only this very blob, verified as this diffID when it was recorded, is trusted without reading it
      Optional<LayerRecord> known = store.images().layerOf(l.diffId(), l.blobDigest());
      if (known.isPresent()) return known.get().uncompressedSize();
      join(download);
      return verifyDiffId(l).uncompressedSize();
    }
    Source source;
    if (stream != null) {
      source = join(stream);
    } else {
      join(download);
      source = () -> store.content().open(l.blobDigest());
    }
    progress.layer(id, "Extracting", -1, -1);
    long size = reading(source, in -> unpacker.unpack(layers, i, in));
    join(download);
    progress.layer(id, "Pull complete", -1, -1);
    return size;
  }

  /** A stored layer's content must be what its config says (S24), whether or not it is unpacked. */
  private LayerDigests verifyDiffId(LayerRecord l) {
    try (InputStream in = store.content().open(l.blobDigest())) {
      return verify(l, in);
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
      String familiar = named.familiarString(); // Docker's pull event names the reference, not the image
      store.events().append(tx, io.strata.store.Event.of(io.strata.store.Event.IMAGE, "pull", familiar, java.util.Map.of("name", familiar)));
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
}
