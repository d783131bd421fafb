package io.strata.image;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import io.strata.store.GcReport;
import io.strata.store.ImageRecord;
import io.strata.store.Store;
import io.strata.store.Tx;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's {@code rmi} and {@code image prune} rules (moby {@code daemon/images/image_delete.go}):
 * removing by tag untags, and deletes the image only when that was its last tag; removing by ID
 * untags everything when all tags share one repository, and otherwise needs {@code force}. Blobs
 * go afterwards through garbage collection, so layers shared with other images stay.
 */
final class ImageRemover {
  private final Store store;

  ImageRemover(Store store) {
    this.store = store;
  }

  List<DeleteResult> remove(ImageResolver.Resolved target, String given, boolean force) {
    List<DeleteResult> results = store.db().write(tx -> removeInTx(tx, target, given, force));
    if (results.stream().anyMatch(r -> r.deleted() != null)) store.gc().collect();
    return results;
  }

  private List<DeleteResult> removeInTx(Tx tx, ImageResolver.Resolved target, String given, boolean force) {
    Digest id = target.id();
    if (store.images().get(tx, id).isEmpty()) throw ImageResolver.notFound(given);
    List<String> tags = store.images().tags(tx, id);
    List<DeleteResult> results = new ArrayList<>();
    if (target.tag() != null) {
      if (!store.images().untag(tx, target.tag())) throw ImageResolver.notFound(given);
      results.add(DeleteResult.untagged(ImageNames.familiar(target.tag())));
      if (tags.size() > 1) return results;
    } else {
      if (tags.size() > 1 && !force && !singleRepository(tags)) {
        throw new FailedPreconditionException("conflict: unable to delete " + id.shortHex()
            + " (must be forced) - image is referenced in multiple repositories");
      }
      results.addAll(untagAll(tx, tags));
    }
    requireUnused(tx, id, given, force);
    store.images().delete(tx, id);
    results.add(DeleteResult.deleted(id));
    return results;
  }

  /**
   * Docker's conflicts: an image a container uses is deleted only with force, and never while
   * one of them runs (the containers' blob references keep the layers either way).
   */
  private static void requireUnused(Tx tx, Digest id, String given, boolean force) {
    record User(String id, String status) {}
    List<User> users = tx.query("SELECT id, status FROM containers WHERE image_id = ? ORDER BY created",
        rs -> new User(rs.getString(1), rs.getString(2)), id.toString());
    if (users.isEmpty()) return;
    User running = users.stream().filter(u -> !u.status().equals("exited") && !u.status().equals("created"))
        .findFirst().orElse(null);
    if (running != null) {
      throw new FailedPreconditionException("conflict: unable to delete " + id.shortHex()
          + " (cannot be forced) - image is being used by running container " + running.id().substring(0, 12));
    }
    if (!force) {
      throw new FailedPreconditionException("conflict: unable to remove repository reference \"" + given
          + "\" (must force) - container " + users.getFirst().id().substring(0, 12) + " is using its referenced image "
          + id.shortHex());
    }
  }

  /** Removes dangling images, or with {@code all} every image no container uses, then collects garbage. */
  PruneReport prune(boolean all) {
    List<DeleteResult> results = store.db().write(tx -> {
      List<DeleteResult> done = new ArrayList<>();
      for (ImageRecord image : store.images().list(tx)) {
        List<String> tags = store.images().tags(tx, image.id());
        if (!all && !tags.isEmpty()) continue;
        if (tx.queryFirst("SELECT 1 FROM containers WHERE image_id = ?", rs -> true, image.id().toString()).isPresent()) {
          continue; // in use by a container: prune keeps it, as Docker's does
        }
        done.addAll(untagAll(tx, tags));
        store.images().delete(tx, image.id());
        done.add(DeleteResult.deleted(image.id()));
      }
      return done;
    });
    GcReport gc = store.gc().collect();
    return new PruneReport(results, gc.reclaimedBytes());
  }

  private List<DeleteResult> untagAll(Tx tx, List<String> tags) {
    List<DeleteResult> results = new ArrayList<>();
    for (String tag : tags) {
      store.images().untag(tx, tag);
      results.add(DeleteResult.untagged(ImageNames.familiar(tag)));
    }
    return results;
  }

  private static boolean singleRepository(List<String> tags) {
    return tags.stream().map(ImageNames::repository).distinct().count() <= 1;
  }
}
