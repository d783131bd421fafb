package io.strata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.FailedPreconditionException;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.oci.Digest;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker's semantics over a real store: names, rmi, prune, listing filters, history, df, inspect. */
class ImageServiceTest {
  @TempDir Path tmp;
  ImageService service;
  TestArchives.TestImage one;
  TestArchives.TestImage two;

  @BeforeEach
  void open() {
    service = ImageService.open(tmp.resolve("store"));
    one = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("one")), true, "demo/one:latest");
    two = TestArchives.image(List.of(TestArchives.base(), TestArchives.app("two")), false, "demo/two:latest");
    service.load(new ByteArrayInputStream(TestArchives.dockerArchive(false, one, two)), ProgressListener.NONE);
  }

  @AfterEach
  void close() {
    service.close();
  }

  private List<ImageSummary> list(Boolean dangling, String... patterns) {
    return service.list(new ImageService.ListOptions(false, dangling, List.of(patterns)));
  }

  @Test
  void resolvesNamesIdsPrefixesAndManifestDigests() {
    Digest id = one.id();
    assertEquals(id, service.resolve("demo/one").id());
    assertEquals(id, service.resolve("docker.io/demo/one:latest").id());
    assertEquals(id, service.resolve(id.toString()).id());
    assertEquals(id, service.resolve(id.encoded()).id());
    assertEquals(id, service.resolve(id.encoded().substring(0, 12)).id());
    assertEquals(id, service.resolve("sha256:" + id.encoded().substring(0, 8)).id());
    Digest manifest = service.resolve("demo/one").manifest().digest();
    assertEquals(id, service.resolve("demo/one@" + manifest).id());
    NotFoundException e = assertThrows(NotFoundException.class, () -> service.resolve("nothere"));
    assertEquals("No such image: nothere:latest", e.getMessage(), "docker's daemon form");
    assertThrows(NotFoundException.class, () -> service.resolve("demo/one:other"));
  }

  @Test
  void rmiOfOneOfTwoImagesSharingABaseKeepsTheSharedLayer() {
    Digest shared = service.resolve("demo/two").layers().getFirst().blobDigest();
    List<DeleteResult> r = service.remove("demo/one", false);
    assertEquals(List.of(DeleteResult.untagged("demo/one:latest"), DeleteResult.deleted(one.id())), r);
    assertTrue(service.store().content().exists(shared), "shared base layer stays");
    assertFalse(service.store().content().exists(one.id()), "the removed image's config is collected");
    assertTrue(service.fsck().ok(), () -> service.fsck().problems().toString());
    assertEquals(two.id(), service.resolve("demo/two").id());
    assertEquals(1, service.list(ImageService.ListOptions.defaults()).size());
  }

  @Test
  void rmiByTagOnlyUntagsWhileOtherTagsRemain() {
    service.tag("demo/one", "demo/one:v1");
    assertEquals(List.of(DeleteResult.untagged("demo/one:v1")), service.remove("demo/one:v1", false));
    assertEquals(one.id(), service.resolve("demo/one").id());
  }

  @Test
  void rmiByIdWithTagsInSeveralRepositoriesNeedsForce() {
    service.tag("demo/one", "other/name:1");
    FailedPreconditionException e = assertThrows(FailedPreconditionException.class,
        () -> service.remove(one.id().encoded().substring(0, 12), false));
    assertEquals("conflict: unable to delete " + one.id().encoded().substring(0, 12)
        + " (must be forced) - image is referenced in multiple repositories", e.getMessage());
    List<DeleteResult> forced = service.remove(one.id().toString(), true);
    assertEquals(List.of(DeleteResult.untagged("demo/one:latest"), DeleteResult.untagged("other/name:1"),
        DeleteResult.deleted(one.id())), forced);
    assertThrows(NotFoundException.class, () -> service.resolve(one.id().toString()));
  }

  @Test
  void rmiByIdWithTagsOfOneRepositoryUntagsAllAndDeletes() {
    service.tag("demo/one", "demo/one:v2");
    List<DeleteResult> r = service.remove(one.id().toString(), false);
    assertEquals(3, r.size());
    assertEquals(one.id(), r.getLast().deleted());
  }

  @Test
  void movingATagLeavesTheOldImageDanglingAndPruneRemovesIt() {
    service.tag("demo/two", "demo/one");
    List<ImageSummary> dangling = list(true);
    assertEquals(1, dangling.size());
    assertEquals(one.id(), dangling.getFirst().id());
    assertTrue(dangling.getFirst().repoTags().isEmpty());
    assertEquals(List.of(two.id()), list(false).stream().map(ImageSummary::id).toList());
    PruneReport report = service.prune(false);
    assertEquals(List.of(DeleteResult.deleted(one.id())), report.deleted());
    assertTrue(report.reclaimedBytes() > 0);
    assertTrue(service.fsck().ok());
    PruneReport all = service.prune(true);
    assertEquals(3, all.deleted().size(), "two untags and one delete: " + all.deleted());
    assertTrue(service.list(ImageService.ListOptions.defaults()).isEmpty());
    assertEquals(0, service.diskUsage().layersSize());
  }

  @Test
  void referenceFilterUsesDockersGlobOnNameAndNameTag() {
    service.tag("demo/one", "example.com/team/app:1.0");
    assertEquals(2, list(null, "demo/*").size());
    assertEquals(0, list(null, "*").size(), "* does not cross a slash");
    assertEquals(List.of("example.com/team/app:1.0"), list(null, "example.com/team/app:1.*").getFirst().repoTags());
    assertEquals(List.of("demo/one:latest"), list(null, "demo/o?e").getFirst().repoTags(), "only matching tags are shown");
    assertEquals(1, list(null, "demo/[a-o]ne").size());
    assertEquals(1, list(null, "demo/[^o]wo").size());
    assertThrows(InvalidArgumentException.class, () -> list(null, "demo/[a"));
  }

  @Test
  void historyIsNewestFirstWithIdOnTopAndLayerSizes() {
    List<HistoryEntry> h = service.history("demo/one");
    assertEquals(3, h.size());
    assertEquals(one.id().toString(), h.get(0).id());
    assertTrue(h.get(0).emptyLayer());
    assertEquals(0, h.get(0).size());
    assertEquals(HistoryEntry.MISSING, h.get(1).id());
    assertEquals("step 1", h.get(1).createdBy());
    assertEquals(TestArchives.app("one").length, h.get(1).size());
    assertEquals(TestArchives.base().length, h.get(2).size());
  }

  @Test
  void diskUsageCountsSharedLayersOnce() {
    DiskUsage du = service.diskUsage();
    long base = TestArchives.base().length;
    assertEquals(base + TestArchives.app("one").length + TestArchives.app("two").length, du.layersSize());
    for (ImageSummary s : du.images()) {
      assertEquals(base, s.sharedSize());
      assertEquals(s.size() - base, s.uniqueSize());
      assertEquals(0, s.containers());
    }
    assertEquals(du.layersSize(), du.reclaimableBytes());
  }

  @Test
  void inspectHasDockersShape() {
    JsonNode node = service.inspectJson("demo/one");
    assertEquals(one.id().toString(), node.get("Id").asText());
    assertEquals("demo/one:latest", node.get("RepoTags").get(0).asText());
    assertTrue(node.get("RepoDigests").isArray());
    assertEquals("", node.get("Parent").asText());
    assertEquals("2024-02-01T00:00:00Z", node.get("Created").asText());
    assertEquals("/bin/sh", node.get("Config").get("Cmd").get(0).asText());
    assertEquals("amd64", node.get("Architecture").asText());
    assertEquals("linux", node.get("Os").asText());
    assertEquals(service.resolve("demo/one").size(), node.get("Size").asLong());
    assertEquals("layers", node.get("RootFS").get("Type").asText());
    assertEquals(one.diffIds().get(1).toString(), node.get("RootFS").get("Layers").get(1).asText());
    assertTrue(node.get("Metadata").has("LastTagTime"));
  }

  @Test
  void tagRefusesDigestsAndUnknownSources() {
    assertThrows(InvalidArgumentException.class, () -> service.tag("demo/one", "x@" + one.id()));
    assertThrows(NotFoundException.class, () -> service.tag("missing", "x:1"));
  }
}
