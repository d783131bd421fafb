package io.strata.registry;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.UnavailableException;
import io.strata.image.Image;
import io.strata.oci.Descriptor;
import io.strata.oci.Digest;
import io.strata.oci.ImageManifest;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import io.strata.oci.Reference;
import io.strata.store.LayerRecord;
import io.strata.store.Lease;
import io.strata.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code push}: every blob of the image that the registry lacks is sent, the rest skipped: a
 * {@code HEAD} first ({@code Layer already exists}); a cross-repository mount when strata knows the
 * registry has the blob in another repository; otherwise an upload, in one request for a small blob
 * and in {@code PATCH} chunks with {@code Content-Range} for a large one, resumed from the offset the
 * registry reports after a failed chunk. Layers stored uncompressed are compressed once
 * ({@link LayerCompressor}). The manifest goes last; when the stored one already names the blobs sent
 * it is sent byte for byte, so its digest does not change.
 */
public final class Pusher {
  /** Blobs up to this size go in one request; larger ones in chunks of {@link #CHUNK}. */
  static final long MONOLITHIC_MAX = 32L << 20;
  static final long CHUNK = 64L << 20;
  private static final int MAX_CHUNK_RETRIES = 5;

  private final Store store;
  private final RegistryClient client;
  private final RegistryOptions options;
  private final LayerCompressor compressor;
  private final TransferProgress progress;

  public Pusher(Store store, RegistryClient client, RegistryOptions options, LayerCompressor compressor,
      TransferProgress progress) {
    this.store = store;
    this.client = client;
    this.options = options;
    this.compressor = compressor;
    this.progress = progress;
  }

  /** What was pushed: the manifest's digest and size. */
  public record Result(Digest digest, long size) {}

  /** Pushes {@code image} as {@code target} (a name with a tag). */
  public Result push(Image image, Reference target) {
    String repo = target.path();
    try (Lease lease = store.leases().create(Duration.ofHours(6))) {
      List<Descriptor> layers = new ArrayList<>();
      for (LayerRecord l : image.layers()) layers.add(compressor.forPush(l, lease));
      Descriptor config = Descriptor.of(configMediaType(image, layers), image.config().digest(), image.config().size());
      upload(repo, config, layers);
      Parsed<?> manifest = manifestFor(image, config, layers);
      store.content().put(manifest.raw(), lease);
      Digest pushed = putManifest(repo, target.tag(), manifest);
      Set<Digest> blobs = new LinkedHashSet<>(List.of(config.digest(), manifest.digest()));
      layers.forEach(d -> blobs.add(d.digest()));
      store.db().write(tx -> {
        store.images().addRepoDigest(tx, target.name(), pushed, image.id());
        BlobSources.record(tx, client.host(), repo, blobs);
        String familiar = target.familiarString();
        store.events().append(tx, io.strata.store.Event.of(io.strata.store.Event.IMAGE, "push", familiar, java.util.Map.of("name", familiar)));
        return null;
      });
      progress.line(target.tag() + ": digest: " + pushed + " size: " + manifest.raw().length);
      return new Result(pushed, manifest.raw().length);
    }
  }

  /** Docker's schema keeps Docker's config type; anything with zstd layers is written as OCI. */
  private static String configMediaType(Image image, List<Descriptor> layers) {
    boolean oci = !isDockerManifest(image) || layers.stream().anyMatch(d -> d.mediaType().endsWith("+zstd"));
    return oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG;
  }

  private static boolean isDockerManifest(Image image) {
    return MediaTypes.DOCKER_MANIFEST.equals(image.manifest().mediaType());
  }

  /** The stored manifest when it names exactly these blobs (its bytes, its digest); else a new one. */
  private static Parsed<?> manifestFor(Image image, Descriptor config, List<Descriptor> layers) {
    if (image.manifest().value() instanceof ImageManifest m && m.config().digest().equals(config.digest())
        && m.layers().stream().map(Descriptor::digest).toList().equals(layers.stream().map(Descriptor::digest).toList())) {
      return image.manifest();
    }
    boolean oci = config.mediaType().equals(MediaTypes.OCI_CONFIG);
    String type = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
    return Manifests.of(ImageManifest.of(type, config, layers), type);
  }

  private void upload(String repo, Descriptor config, List<Descriptor> layers) {
    List<Descriptor> all = new ArrayList<>();
    Set<Digest> seen = new LinkedHashSet<>();
    for (Descriptor d : layers) if (seen.add(d.digest())) all.add(d);
    if (seen.add(config.digest())) all.add(config);
    for (Descriptor d : layers) progress.layer(Puller.shortId(d.digest()), "Preparing", -1, -1);
    Semaphore slots = new Semaphore(options.maxConcurrentUploads());
    List<Future<?>> running = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      java.util.concurrent.CompletionService<Object> done = new java.util.concurrent.ExecutorCompletionService<>(threads);
      for (Descriptor d : all) {
        boolean layer = !d.equals(config);
        running.add(done.submit(() -> {
          slots.acquireUninterruptibly();
          try {
            pushBlob(repo, d, layer);
          } finally {
            slots.release();
          }
          return null;
        }));
      }
      for (int i = 0; i < running.size(); i++) { // in the order they end: the first failure stops the rest
        try {
          done.take().get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new UnavailableException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
          running.forEach(r -> r.cancel(true));
          if (e.getCause() instanceof RuntimeException r) throw r;
          throw new IllegalStateException(e.getCause());
        }
      }
    }
  }

  private void pushBlob(String repo, Descriptor d, boolean layer) {
    String id = Puller.shortId(d.digest());
    List<String> scopes = List.of("repository:" + repo + ":pull,push");
    if (exists(repo, d, scopes)) {
      if (layer) progress.layer(id, "Layer already exists", -1, -1);
      return;
    }
    URI location = null;
    for (String from : mountSources(repo, d.digest())) {
      Optional<URI> started = mount(repo, d, from);
      if (started.isEmpty()) {
        if (layer) progress.layer(id, "Mounted from " + from, -1, -1);
        return;
      }
      location = started.get();
      break;
    }
    if (location == null) location = startUpload(repo, d, scopes);
    Path file = store.content().blobPath(d.digest());
    AtomicLong sent = new AtomicLong();
    if (d.size() <= MONOLITHIC_MAX) {
      finish(location, d, file, 0, d.size(), sent, layer, scopes);
    } else {
      location = chunks(repo, location, d, file, sent, layer, scopes);
      finish(location, d, file, d.size(), 0, sent, layer, scopes);
    }
    if (layer) progress.layer(id, "Pushed", -1, -1);
  }

  private boolean exists(String repo, Descriptor d, List<String> scopes) {
    HttpResponse<InputStream> r = client.send(new RegistryClient.Request("HEAD",
        client.uri("/v2/" + repo + "/blobs/" + d.digest()), Map.of(), null, scopes, true));
    closeQuietly(r);
    return r.statusCode() == 200;
  }

  /** Other repositories of this registry that a pull or push saw the blob in. */
  private List<String> mountSources(String repo, Digest digest) {
    return store.db().read(tx -> BlobSources.repositories(tx, client.host(), digest)).stream()
        .filter(r -> !r.equals(repo)).limit(1).toList();
  }

  /** Empty when the registry mounted the blob; else the upload session it opened instead. */
  private Optional<URI> mount(String repo, Descriptor d, String from) {
    HttpResponse<InputStream> r = client.send(new RegistryClient.Request("POST",
        client.uri("/v2/" + repo + "/blobs/uploads/?mount=" + d.digest() + "&from=" + from), Map.of(), null,
        List.of("repository:" + repo + ":pull,push", "repository:" + from + ":pull"), false));
    if (r.statusCode() == 201) {
      closeQuietly(r);
      return Optional.empty();
    }
    if (r.statusCode() != 202) throw RegistryErrors.of(r, "mount blob " + d.digest() + " from " + from);
    closeQuietly(r);
    return Optional.of(location(r));
  }

  private URI startUpload(String repo, Descriptor d, List<String> scopes) {
    HttpResponse<InputStream> r = client.send(new RegistryClient.Request("POST",
        client.uri("/v2/" + repo + "/blobs/uploads/"), Map.of(), null, scopes, false));
    if (r.statusCode() != 202) throw RegistryErrors.of(r, "push blob " + d.digest());
    closeQuietly(r);
    return location(r);
  }

  /** Sends the blob in PATCH chunks from the registry's offset; after a failure asks where it stands and goes on. */
  private URI chunks(String repo, URI location, Descriptor d, Path file, AtomicLong sent, boolean layer, List<String> scopes) {
    long offset = 0;
    int failures = 0;
    while (offset < d.size()) {
      long len = Math.min(CHUNK, d.size() - offset);
      try {
        HttpResponse<InputStream> r = client.send(new RegistryClient.Request("PATCH", location,
            Map.of("Content-Type", "application/octet-stream", "Content-Range", offset + "-" + (offset + len - 1)),
            body(file, offset, len, d, sent, layer), scopes, false));
        if (r.statusCode() != 202) {
          if (r.statusCode() < 500 && r.statusCode() != 429) throw RegistryErrors.of(r, "push blob " + d.digest());
          closeQuietly(r);
          throw new UnavailableException("status " + r.statusCode(), null);
        }
        closeQuietly(r);
        location = location(r);
        offset += len;
      } catch (UnavailableException e) {
        if (++failures > MAX_CHUNK_RETRIES) throw e;
        // a new session from byte 0, as Docker does: distribution keeps what a cut PATCH delivered,
        // refuses the session's next request ("blob upload invalid": its _state names the old
        // offset) and cancels it, and its status always answers Range: 0-0
        location = startUpload(repo, d, scopes);
        offset = 0;
        sent.set(0);
      }
    }
    return location;
  }

  /** The closing PUT with the digest, carrying {@code len} bytes from {@code offset} (all of a small blob, none after chunks). */
  private void finish(URI location, Descriptor d, Path file, long offset, long len, AtomicLong sent, boolean layer,
      List<String> scopes) {
    String sep = location.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(location + sep + "digest=" + d.digest());
    HttpResponse<InputStream> r = client.send(new RegistryClient.Request("PUT", put,
        Map.of("Content-Type", "application/octet-stream"), len == 0 ? null : body(file, offset, len, d, sent, layer), scopes,
        false));
    if (r.statusCode() != 201) throw RegistryErrors.of(r, "push blob " + d.digest());
    closeQuietly(r);
  }

  private java.util.function.Supplier<HttpRequest.BodyPublisher> body(Path file, long offset, long len, Descriptor d,
      AtomicLong sent, boolean layer) {
    String id = Puller.shortId(d.digest());
    return () -> HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
      try {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ).position(offset);
        InputStream in = Channels.newInputStream(ch);
        return new java.io.FilterInputStream(new BoundedInput(in, len)) {
          @Override
          public int read(byte[] b, int off, int n) throws IOException {
            int got = super.read(b, off, n);
            if (got > 0 && layer) progress.layer(id, "Pushing", sent.addAndGet(got), d.size());
            return got;
          }
        };
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("read blob " + d.digest(), e);
      }
    }), len);
  }

  private Digest putManifest(String repo, String tag, Parsed<?> manifest) {
    HttpResponse<InputStream> r = client.send(new RegistryClient.Request("PUT",
        client.uri("/v2/" + repo + "/manifests/" + tag), Map.of("Content-Type", manifest.mediaType()),
        () -> HttpRequest.BodyPublishers.ofByteArray(manifest.raw()), List.of("repository:" + repo + ":pull,push"), false));
    if (r.statusCode() != 201 && r.statusCode() != 200) throw RegistryErrors.of(r, "push manifest " + repo + ":" + tag);
    closeQuietly(r);
    Optional<String> said = r.headers().firstValue("Docker-Content-Digest");
    if (said.isPresent() && !said.get().strip().equals(manifest.digest().toString())) {
      throw new DataLossException("push manifest " + repo + ":" + tag + ": the registry stored " + RegistryErrors.clean(said.get())
          + ", strata sent " + manifest.digest());
    }
    return manifest.digest();
  }

  private URI location(HttpResponse<InputStream> r) {
    String loc = r.headers().firstValue("Location").orElseThrow(() ->
        new FailedPreconditionException("registry " + client.host() + ": upload response without a Location"));
    try {
      return RegistryClient.location(client.uri("/"), loc);
    } catch (RegistryClient.ProtocolViolation e) {
      throw new FailedPreconditionException("registry " + client.host() + ": upload response with an " + e.getMessage());
    }
  }

  private static void closeQuietly(HttpResponse<InputStream> r) {
    try {
      r.body().close();
    } catch (IOException e) {
      // nothing more to read
    }
  }

  /** At most {@code left} bytes of {@code in}. */
  private static final class BoundedInput extends java.io.FilterInputStream {
    private long left;

    BoundedInput(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) return -1;
      int b = super.read();
      if (b >= 0) left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) return -1;
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) left -= n;
      return n;
    }
  }
}
