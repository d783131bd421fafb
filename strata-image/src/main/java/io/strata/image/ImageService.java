package io.strata.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.oci.Platform;
import io.strata.store.FsckReport;
import io.strata.store.GcReport;
import io.strata.store.Store;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Local image management with docker's semantics, over one {@link Store}: listing, naming,
 * removal, history, disk usage, and the archive formats ({@code load}, {@code save},
 * {@code import}, {@code image export}). Every change to the store is one metadata transaction;
 * a failed command leaves the store as it was.
 */
public final class ImageService implements AutoCloseable {
  /**
   * Options of {@code docker images}. {@code all} is accepted (strata has no intermediate images
   * yet); {@code dangling} null means both; {@code referencePatterns} are docker's globs, any of
   * which may match a tag ({@code name:tag}) or its name.
   */
  public record ListOptions(boolean all, Boolean dangling, List<String> referencePatterns) {
    public ListOptions {
      referencePatterns = referencePatterns == null ? List.of() : List.copyOf(referencePatterns);
    }

    public static ListOptions defaults() {
      return new ListOptions(false, null, List.of());
    }
  }

  private final Store store;
  private final ImageResolver resolver;
  private final StoredImages images;

  private ImageService(Store store) {
    this.store = store;
    this.resolver = new ImageResolver(store);
    this.images = new StoredImages(store);
  }

  public static ImageService open(Path storeRoot) {
    return new ImageService(Store.open(storeRoot));
  }

  /** The underlying store (for modules that add containers, builds, registries). */
  public Store store() {
    return store;
  }

  public List<ImageSummary> list(ListOptions options) {
    return new ImageListing(store).list(options == null ? ListOptions.defaults() : options);
  }

  /** @throws io.strata.errdefs.NotFoundException "No such image: X:latest" */
  public Image resolve(String nameOrId) {
    return images.load(resolver.resolve(nameOrId).id());
  }

  public ImageInspect inspect(String nameOrId) {
    Digest id = resolver.resolve(nameOrId).id();
    var record = store.images().get(id).orElseThrow(() -> ImageResolver.notFound(nameOrId));
    return ImageViews.inspect(images.load(record), record, store.images().repoDigests(record.id()));
  }

  /** {@link #inspect} as a Jackson tree with docker's field names. */
  public JsonNode inspectJson(String nameOrId) {
    return Json.mapper().valueToTree(inspect(nameOrId));
  }

  /** {@code docker tag}: points {@code target} (normalised, default tag latest) at the source image. */
  public void tag(String source, String target) {
    Digest id = resolver.resolve(source).id();
    String ref = ImageNames.tagReference(target, "tag").toString();
    store.db().write(tx -> {
      store.images().tag(tx, ref, id);
      return null;
    });
  }

  /** {@code docker rmi}: see {@link ImageRemover}. */
  public List<DeleteResult> remove(String nameOrId, boolean force) {
    return new ImageRemover(store).remove(resolver.resolve(nameOrId), nameOrId, force);
  }

  /** {@code docker image prune [-a]}. */
  public PruneReport prune(boolean all) {
    return new ImageRemover(store).prune(all);
  }

  /** {@code docker history}, newest first. */
  public List<HistoryEntry> history(String nameOrId) {
    return ImageViews.history(resolve(nameOrId));
  }

  /** The images part of {@code docker system df}. */
  public DiskUsage diskUsage() {
    return new ImageListing(store).diskUsage();
  }

  /** {@code docker load}: a docker-archive or OCI layout tar (plain, gzip or zstd), read once as a stream. */
  public LoadResult load(InputStream archive, ProgressListener progress) {
    return new ArchiveLoader(store).load(archive, progress == null ? ProgressListener.NONE : progress);
  }

  /** {@code docker save}: every named image into one archive on {@code out} (left open). */
  public void save(List<String> names, SaveFormat format, OutputStream out) {
    if (names.isEmpty()) throw new InvalidArgumentException("save: no images given");
    Map<Digest, List<String>> tagsById = new LinkedHashMap<>();
    for (String name : names) {
      ImageResolver.Resolved r = resolver.resolve(name);
      List<String> tags = tagsById.computeIfAbsent(r.id(), k -> new ArrayList<>());
      if (r.tag() != null && !tags.contains(r.tag())) tags.add(r.tag());
    }
    List<ArchiveWriter.Item> items = new ArrayList<>();
    tagsById.forEach((id, tags) -> items.add(new ArchiveWriter.Item(images.load(id), tags)));
    new ArchiveWriter(store).write(items, format, out);
    for (Digest id : tagsById.keySet()) store.events().append(ImageRecorder.imageEvent("save", id));
  }

  /**
   * {@code docker import}: see {@link Importer}. {@code changes} are {@code -c} instructions,
   * {@code message} the {@code -m} comment, {@code reference} an optional name.
   */
  public Image importTar(InputStream rootfsTar, List<String> changes, String message, String reference,
      Platform platform) {
    Digest id = new Importer(store).importTar(rootfsTar, changes, message, reference, platform);
    store.events().append(ImageRecorder.imageEvent("import", id));
    return images.load(id);
  }

  /** {@code strata image export}: the image's flattened root filesystem as a tar on {@code out} (left open). */
  /**
   * {@code commit}: a new image of {@code parent}'s layers plus the layer {@code layer} writes
   * (an uncompressed tar); returns its ID.
   */
  public Digest commit(Image parent, java.util.function.Consumer<OutputStream> layer, CommitRequest request) {
    return new Committer(store).commit(parent, layer, request);
  }

  public void export(String nameOrId, OutputStream out) {
    new Exporter(store).export(resolve(nameOrId), out);
  }

  public FsckReport fsck() {
    return store.fsck().run();
  }

  public GcReport gc() {
    return store.gc().collect();
  }

  @Override
  public void close() {
    store.close();
  }
}
