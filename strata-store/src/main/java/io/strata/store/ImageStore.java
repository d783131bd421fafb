package io.strata.store;

import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import io.strata.oci.Reference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Images, their layers and tags, and the {@code refs} that keep blobs alive, in the metadata
 * database. Storage only: Docker's rules (what may be removed, reference normalisation) live in
 * strata-image. Methods taking a {@link Tx} join the caller's transaction, so that one command's
 * changes commit together; each read also has a form that opens its own read transaction.
 */
public final class ImageStore {
  private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-f]{1,128}");
  private static final String IMAGE_COLUMNS =
      "id, manifest_digest, manifest_media_type, manifest_size, created, size, loaded_at";

  private static final Comparator<ImageRecord> NEWEST_FIRST = Comparator
      .comparing(ImageRecord::created, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
      .thenComparing(ImageRecord::id);

  private final MetadataDb db;
  private final EventJournal events;

  ImageStore(MetadataDb db, EventJournal events) {
    this.db = db;
    this.events = events;
  }

  /**
   * Records an image (replacing an earlier record of the same id, keeping its tags), its layers in
   * order, and {@code blobs} (manifest, config, layers) as its garbage-collection references.
   */
  public void put(Tx tx, ImageRecord image, List<LayerRecord> layers, Set<Digest> blobs) {
    tx.update("INSERT INTO images(" + IMAGE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT(id) DO UPDATE SET manifest_digest = excluded.manifest_digest, "
            + "manifest_media_type = excluded.manifest_media_type, manifest_size = excluded.manifest_size, "
            + "created = excluded.created, size = excluded.size, loaded_at = excluded.loaded_at",
        image.id(), image.manifestDigest(), image.manifestMediaType(), image.manifestSize(),
        image.created(), image.size(), image.loadedAt());
    tx.update("DELETE FROM image_layers WHERE image_id = ?", image.id());
    for (int i = 0; i < layers.size(); i++) {
      LayerRecord l = layers.get(i);
      tx.update("INSERT INTO image_layers(image_id, idx, diff_id, blob_digest, media_type, blob_size, "
              + "uncompressed_size) VALUES (?, ?, ?, ?, ?, ?, ?)",
          image.id(), i, l.diffId(), l.blobDigest(), l.mediaType(), l.blobSize(), l.uncompressedSize());
    }
    removeRefs(tx, RefOwners.IMAGE, image.id().toString());
    addRefs(tx, RefOwners.IMAGE, image.id().toString(), blobs);
  }

  public Optional<ImageRecord> get(Digest id) {
    return db.read(tx -> get(tx, id));
  }

  public Optional<ImageRecord> get(Tx tx, Digest id) {
    return tx.queryFirst("SELECT " + IMAGE_COLUMNS + " FROM images WHERE id = ?", ImageStore::image, id);
  }

  /** All images, newest first. */
  public List<ImageRecord> list() {
    return db.read(this::list);
  }

  public List<ImageRecord> list(Tx tx) {
    List<ImageRecord> all = tx.query("SELECT " + IMAGE_COLUMNS + " FROM images", ImageStore::image);
    // sorted here, not in SQL: Instant text does not sort chronologically ("05Z" > "05.5Z")
    all.sort(NEWEST_FIRST);
    return all;
  }

  /**
   * Images whose id starts with {@code prefix}: hex digits, optionally after {@code "sha256:"}.
   * Anything else matches nothing.
   */
  public List<ImageRecord> findByIdPrefix(String prefix) {
    return db.read(tx -> findByIdPrefix(tx, prefix));
  }

  public List<ImageRecord> findByIdPrefix(Tx tx, String prefix) {
    String p = prefix.startsWith(Digest.SHA256 + ":") ? prefix : Digest.SHA256 + ":" + prefix;
    if (!HEX_PREFIX.matcher(p.substring(Digest.SHA256.length() + 1)).matches()) return List.of();
    // ids are "sha256:" + lowercase hex, so the prefix range is [p, p + "g")
    return tx.query("SELECT " + IMAGE_COLUMNS + " FROM images WHERE id >= ? AND id < ? ORDER BY id",
        ImageStore::image, p, p + "g");
  }

  /** The image's layers, bottom first. */
  public List<LayerRecord> layers(Digest imageId) {
    return db.read(tx -> layers(tx, imageId));
  }

  public List<LayerRecord> layers(Tx tx, Digest imageId) {
    return tx.query("SELECT diff_id, blob_digest, media_type, blob_size, uncompressed_size FROM image_layers "
        + "WHERE image_id = ? ORDER BY idx", ImageStore::layer, imageId);
  }

  /** Some stored layer with this diffID (any image's). */
  public Optional<LayerRecord> layerByDiffId(Digest diffId) {
    return db.read(tx -> layerByDiffId(tx, diffId));
  }

  public Optional<LayerRecord> layerByDiffId(Tx tx, Digest diffId) {
    return tx.queryFirst("SELECT diff_id, blob_digest, media_type, blob_size, uncompressed_size FROM image_layers "
        + "WHERE diff_id = ? ORDER BY image_id, idx", ImageStore::layer, diffId);
  }

  /** A stored layer of this diffID held in this very blob (a verified pair), if any image has it. */
  public Optional<LayerRecord> layerOf(Digest diffId, Digest blob) {
    return db.read(tx -> tx.queryFirst("SELECT diff_id, blob_digest, media_type, blob_size, uncompressed_size "
        + "FROM image_layers WHERE diff_id = ? AND blob_digest = ? AND uncompressed_size >= 0", ImageStore::layer, diffId, blob));
  }

  /**
   * Points {@code fullRef} at an image, moving it from any other image, and journals Docker's
   * {@code tag} event when that changed where it points. @throws NotFoundException if no such image
   */
  public void tag(Tx tx, String fullRef, Digest id) {
    if (get(tx, id).isEmpty()) throw new NotFoundException("tag " + fullRef + ": no such image: " + id);
    if (resolveTag(tx, fullRef).filter(id::equals).isPresent()) return;
    tx.update("INSERT INTO tags(ref, image_id) VALUES (?, ?) ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id",
        fullRef, id);
    events.append(tx, Event.of(Event.IMAGE, "tag", id.toString(), Map.of("name", Reference.parse(fullRef).familiarString())));
  }

  /** Removes a tag (journaling Docker's {@code untag}, named by the image ID as Docker does); false when there was none. */
  public boolean untag(Tx tx, String fullRef) {
    Optional<Digest> id = resolveTag(tx, fullRef);
    if (id.isEmpty()) return false;
    tx.update("DELETE FROM tags WHERE ref = ?", fullRef);
    events.append(tx, Event.of(Event.IMAGE, "untag", id.get().toString(), Map.of("name", id.get().toString())));
    return true;
  }

  public Optional<Digest> resolveTag(String fullRef) {
    return db.read(tx -> resolveTag(tx, fullRef));
  }

  public Optional<Digest> resolveTag(Tx tx, String fullRef) {
    return tx.queryFirst("SELECT image_id FROM tags WHERE ref = ?", rs -> Digest.parse(rs.getString(1)), fullRef);
  }

  /** The image's tags, sorted. */
  public List<String> tags(Digest id) {
    return db.read(tx -> tags(tx, id));
  }

  public List<String> tags(Tx tx, Digest id) {
    return tx.query("SELECT ref FROM tags WHERE image_id = ? ORDER BY ref", rs -> rs.getString(1), id);
  }

  /** Every tagged image's tags, sorted by image id then tag. */
  public Map<Digest, List<String>> allTags() {
    return db.read(this::allTags);
  }

  public Map<Digest, List<String>> allTags(Tx tx) {
    Map<Digest, List<String>> all = new LinkedHashMap<>();
    tx.query("SELECT image_id, ref FROM tags ORDER BY image_id, ref", rs -> {
      all.computeIfAbsent(Digest.parse(rs.getString(1)), k -> new ArrayList<>()).add(rs.getString(2));
      return null;
    });
    return all;
  }

  /**
   * Records that {@code repository} (a full name, {@code docker.io/library/busybox}) serves the image
   * under manifest {@code digest} (Docker's RepoDigests); the manifest's blob is kept while it is recorded.
   */
  public void addRepoDigest(Tx tx, String repository, Digest digest, Digest imageId) {
    digest.requireSupported();
    tx.update("INSERT INTO repo_digests(repository, digest, image_id) VALUES (?, ?, ?) "
        + "ON CONFLICT(repository, digest) DO UPDATE SET image_id = excluded.image_id", repository, digest, imageId);
  }

  /** {@code repository@digest} of an image, sorted. */
  public List<String> repoDigests(Digest imageId) {
    return db.read(tx -> tx.query("SELECT repository || '@' || digest FROM repo_digests WHERE image_id = ? ORDER BY 1",
        rs -> rs.getString(1), imageId));
  }

  /** Every image's {@code repository@digest}, sorted. */
  public Map<Digest, List<String>> allRepoDigests() {
    return db.read(tx -> {
      Map<Digest, List<String>> all = new LinkedHashMap<>();
      tx.query("SELECT image_id, repository || '@' || digest FROM repo_digests ORDER BY image_id, 2", rs -> {
        all.computeIfAbsent(Digest.parse(rs.getString(1)), k -> new ArrayList<>()).add(rs.getString(2));
        return null;
      });
      return all;
    });
  }

  /** The image {@code repository@digest} names, if a pull or push recorded it. */
  public Optional<Digest> resolveRepoDigest(String repository, Digest digest) {
    return db.read(tx -> tx.queryFirst("SELECT image_id FROM repo_digests WHERE repository = ? AND digest = ?",
        rs -> Digest.parse(rs.getString(1)), repository, digest));
  }

  /** Deletes an image with its layers, tags and references; returns false when there was none. Blobs stay until gc. */
  public boolean delete(Tx tx, Digest id) {
    removeRefs(tx, RefOwners.IMAGE, id.toString());
    if (tx.update("DELETE FROM images WHERE id = ?", id) == 0) return false;
    events.append(tx, Event.of(Event.IMAGE, "delete", id.toString(), Map.of("name", id.toString())));
    return true;
  }

  /** Adds garbage-collection references from an owner (see {@link RefOwners}) to blobs; idempotent. */
  public void addRefs(Tx tx, String ownerKind, String ownerId, Collection<Digest> digests) {
    for (Digest d : digests) {
      d.requireSupported();
      tx.update("INSERT OR IGNORE INTO refs(owner_kind, owner_id, digest) VALUES (?, ?, ?)", ownerKind, ownerId, d);
    }
  }

  public void removeRefs(Tx tx, String ownerKind, String ownerId) {
    tx.update("DELETE FROM refs WHERE owner_kind = ? AND owner_id = ?", ownerKind, ownerId);
  }

  /** The blobs an owner references, sorted. */
  public List<Digest> refs(Tx tx, String ownerKind, String ownerId) {
    return tx.query("SELECT digest FROM refs WHERE owner_kind = ? AND owner_id = ? ORDER BY digest",
        rs -> Digest.parse(rs.getString(1)), ownerKind, ownerId);
  }

  private static ImageRecord image(ResultSet rs) throws SQLException {
    String created = rs.getString(5);
    return new ImageRecord(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)), rs.getString(3),
        rs.getLong(4), created == null ? null : Instant.parse(created), rs.getLong(6), Instant.parse(rs.getString(7)));
  }

  private static LayerRecord layer(ResultSet rs) throws SQLException {
    return new LayerRecord(Digest.parse(rs.getString(1)), Digest.parse(rs.getString(2)), rs.getString(3),
        rs.getLong(4), rs.getLong(5));
  }
}
