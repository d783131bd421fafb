package io.strata.store;

import io.strata.errdefs.DataLossException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks the store: every blob re-hashed against its name, no stray files under {@code blobs/},
 * every metadata row pointing at something that exists, and SQLite's own consistency checks. What
 * waits in the trash is counted, not a problem: nothing references it, and the next prune deletes it.
 */
public final class Fsck {
  private final MetadataDb db;
  private final LocalContentStore content;
  private final Trash trash;
  private final LeaseManager leases;

  Fsck(MetadataDb db, LocalContentStore content, Trash trash, LeaseManager leases) {
    this.db = db;
    this.content = content;
    this.trash = trash;
    this.leases = leases;
  }

  public FsckReport run() {
    List<String> problems = new ArrayList<>();
    int checked = checkBlobs(problems);
    db.read(tx -> {
      checkDatabase(tx, problems);
      checkReferences(tx, problems);
      return null;
    });
    return new FsckReport(problems, checked, trash.entries().size(), leases.describe());
  }

  private int checkBlobs(List<String> problems) {
    Path blobs = content.blobsDir();
    int checked = 0;
    try {
      for (Path algDir : sorted(blobs)) {
        String alg = algDir.getFileName().toString();
        if (!LocalContentStore.ALGORITHMS.contains(alg) || !Files.isDirectory(algDir)) {
          problems.add("stray file in blobs: " + blobs.relativize(algDir));
          continue;
        }
        checked += checkAlgorithmDir(algDir, alg, problems);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("fsck: list " + blobs, e);
    }
    return checked;
  }

  private int checkAlgorithmDir(Path dir, String alg, List<String> problems) throws IOException {
    int checked = 0;
    for (Path f : sorted(dir)) {
      Digest d = LocalContentStore.digestOfName(alg, f.getFileName().toString());
      if (d == null || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        problems.add("stray file in blobs: " + content.blobsDir().relativize(f));
        continue;
      }
      checked++;
      try {
        content.verify(d);
      } catch (DataLossException e) {
        problems.add(e.getMessage());
      } catch (NotFoundException gone) {
        checked--; // removed by a concurrent gc since the listing
      }
    }
    return checked;
  }

  private static List<Path> sorted(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private static void checkDatabase(Tx tx, List<String> problems) {
    tx.query("PRAGMA quick_check", rs -> rs.getString(1)).stream()
        .filter(s -> !s.equals("ok"))
        .forEach(s -> problems.add("metadata database: " + s));
    tx.query("PRAGMA foreign_key_check", rs -> rs.getString(1) + " row " + rs.getLong(2) + " points to missing " + rs.getString(3))
        .forEach(s -> problems.add("metadata database: " + s));
  }

  private void checkReferences(Tx tx, List<String> problems) {
    missingBlobs(tx, problems, "image %s: config blob %s is missing", "SELECT id, id FROM images");
    missingBlobs(tx, problems, "image %s: manifest blob %s is missing", "SELECT id, manifest_digest FROM images");
    missingBlobs(tx, problems, "image %s: layer blob %s is missing", "SELECT image_id, blob_digest FROM image_layers");
    missingBlobs(tx, problems, "repository digest %s: manifest blob %s is missing", "SELECT repository, digest FROM repo_digests");
    // a live lease may name a blob that is still being written, so lease refs are not checked
    missingBlobs(tx, problems, "ref %s: blob %s is missing",
        "SELECT owner_kind || ' ' || owner_id, digest FROM refs WHERE owner_kind <> 'lease'");
    tx.query("SELECT ref, image_id FROM tags WHERE image_id NOT IN (SELECT id FROM images)",
        rs -> problems.add("tag " + rs.getString(1) + ": image " + rs.getString(2) + " is missing"));
    tx.query("SELECT DISTINCT owner_id FROM refs WHERE owner_kind = 'image' AND owner_id NOT IN (SELECT id FROM images)",
        rs -> problems.add("ref image " + rs.getString(1) + ": image is missing"));
    tx.query("SELECT DISTINCT owner_id FROM refs WHERE owner_kind = 'lease' AND owner_id NOT IN (SELECT id FROM leases)",
        rs -> problems.add("ref lease " + rs.getString(1) + ": lease is missing"));
  }

  private void missingBlobs(Tx tx, List<String> problems, String format, String sql) {
    tx.query(sql, rs -> {
      String owner = rs.getString(1);
      String digest = rs.getString(2);
      if (!blobExists(digest)) problems.add(format.formatted(owner, digest));
      return null;
    });
  }

  private boolean blobExists(String digest) {
    try {
      return content.exists(Digest.parse(digest).requireSupported());
    } catch (RuntimeException invalid) {
      return false;
    }
  }
}
