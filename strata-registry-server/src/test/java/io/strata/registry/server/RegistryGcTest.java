package io.strata.registry.server;

import static io.strata.registry.server.RegistryHttp.OCI_CONFIG;
import static io.strata.registry.server.RegistryHttp.OCI_INDEX;
import static io.strata.registry.server.RegistryHttp.OCI_MANIFEST;
import static io.strata.registry.server.RegistryHttp.bytes;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.oci.Digest;
import io.strata.registry.server.RegistryFixture.Storage;
import io.strata.registry.server.RegistryHttp.Image;
import io.strata.registry.server.RegistryHttp.Resp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Garbage collection on both storages, each test on a registry of its own (gc sees the whole storage).
 * Age is made by setting the files' or objects' modification times ({@link RegistryFixture#ageEverything}).
 */
class RegistryGcTest {
  static final Duration GRACE = Duration.ofHours(1);
  static final Duration OLD = Duration.ofHours(2);

  private static Digest upload(RegistryHttp h, String repo, byte[] content) throws Exception {
    String loc = h.startUpload(repo);
    Resp p = h.patch(loc, content);
    assertEquals(202, p.status(), p::toString);
    Digest d = Digest.sha256(content);
    Resp put = h.put(p.header("Location") + "?digest=" + d, new byte[0]);
    assertEquals(201, put.status(), put::toString);
    return d;
  }

  private static void assertPullable(RegistryHttp h, String repo, Image img) throws Exception {
    Resp m = h.get("/v2/" + repo + "/manifests/" + img.digest());
    assertEquals(200, m.status(), m::toString);
    assertArrayEquals(img.manifest(), m.body());
    assertEquals(200, h.get("/v2/" + repo + "/blobs/" + img.config()).status());
    for (Digest l : img.layers()) assertEquals(200, h.get("/v2/" + repo + "/blobs/" + l).status(), l::toString);
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void sweepsOldUnreferencedBlobsAndKeepsReferencedAndYoungOnes(Storage s) throws Exception {
    try (RegistryFixture f = RegistryFixture.start(s)) {
      RegistryHttp h = new RegistryHttp(f.port());
      Image img = h.pushImage("gc/app", "v1", "referenced layer");
      Image untagged = h.pushImage("gc/app", null, "layer of an untagged manifest");
      byte[] orphan = bytes("an old orphan");
      Digest old = h.pushBlob("gc/app", orphan);
      h.pushBlob("gc/other", orphan);
      f.ageEverything(OLD);
      Digest young = h.pushBlob("gc/app", bytes("a young orphan"));

      RegistryGc.Report r = f.gc(false, false, GRACE);
      assertEquals(List.of(old), r.blobs(), r::toString);
      assertEquals(orphan.length, r.bytes());
      assertEquals(List.of(), r.manifests());
      assertFalse(f.blobStored(old));
      assertEquals(404, h.head("/v2/gc/app/blobs/" + old).status());
      assertEquals(404, h.head("/v2/gc/other/blobs/" + old).status(), "its links in every repository go with it");
      assertFalse(f.keys("repositories/").stream().anyMatch(k -> k.endsWith(old.encoded())), f.keys("repositories/")::toString);
      assertTrue(f.blobStored(young));
      assertEquals(200, h.head("/v2/gc/app/blobs/" + young).status());
      assertPullable(h, "gc/app", img);
      assertPullable(h, "gc/app", untagged);
    }
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void dryRunDeletesNothing(Storage s) throws Exception {
    try (RegistryFixture f = RegistryFixture.start(s)) {
      RegistryHttp h = new RegistryHttp(f.port());
      h.pushImage("gc/dry", "v1", "l");
      h.pushImage("gc/dry", null, "untagged");
      Digest old = h.pushBlob("gc/dry", bytes("old orphan"));
      f.ageEverything(OLD);
      List<String> before = f.keys("");
      RegistryGc.Report r = f.gc(true, true, GRACE);
      assertEquals(4, r.blobs().size(), () -> "the orphan, and the untagged manifest with its config and layer: " + r);
      assertTrue(r.blobs().contains(old));
      assertEquals(1, r.manifests().size(), r::toString);
      assertEquals(before, f.keys(""), "a dry run changes nothing");
    }
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void deleteUntaggedRemovesOnlyWhatNoTagReaches(Storage s) throws Exception {
    try (RegistryFixture f = RegistryFixture.start(s)) {
      RegistryHttp h = new RegistryHttp(f.port());
      String repo = "gc/untagged";
      Image tagged = h.pushImage(repo, "v1", "tagged layer");
      Image untagged = h.pushImage(repo, null, "untagged layer");
      Image child1 = h.pushImage(repo, null, "child one");
      Image child2 = h.pushImage(repo, null, "child two");
      byte[] index = RegistryHttp.index(List.of(Map.entry(child1.digest(), child1.manifest().length),
          Map.entry(child2.digest(), child2.manifest().length)));
      Digest indexDigest = h.pushManifest(repo, "multi", OCI_INDEX, index);
      Digest empty = h.pushBlob(repo, bytes("{}"));
      byte[] sbom = RegistryHttp.manifest(OCI_MANIFEST, "application/vnd.oci.empty.v1+json", empty, 2, List.of(),
          new Object[] {tagged.digest(), tagged.manifest().length, OCI_MANIFEST}, "application/vnd.example.sbom");
      Digest sbomDigest = h.pushManifest(repo, Digest.sha256(sbom).toString(), OCI_MANIFEST, sbom);
      f.ageEverything(OLD);

      RegistryGc.Report keep = f.gc(false, false, GRACE);
      assertEquals(List.of(), keep.blobs(), "without --delete-untagged every manifest is a root");
      assertPullable(h, repo, untagged);

      RegistryGc.Report r = f.gc(false, true, GRACE);
      assertEquals(List.of(repo + "@" + untagged.digest()), r.manifests(), r::toString);
      List<Digest> expected = new ArrayList<>(List.of(untagged.digest(), untagged.config(), untagged.layers().getFirst()));
      expected.sort(null);
      assertEquals(expected, r.blobs(), r::toString);
      assertEquals(404, h.get("/v2/" + repo + "/manifests/" + untagged.digest()).status());
      assertEquals(404, h.head("/v2/" + repo + "/blobs/" + untagged.layers().getFirst()).status());
      assertFalse(f.blobStored(untagged.layers().getFirst()));
      assertPullable(h, repo, tagged);
      assertPullable(h, repo, child1);
      assertPullable(h, repo, child2);
      assertEquals(200, h.get("/v2/" + repo + "/manifests/" + indexDigest).status());
      assertEquals(200, h.get("/v2/" + repo + "/manifests/" + sbomDigest).status(), "a referrer of a tagged manifest stays");
      assertEquals(1, h.get("/v2/" + repo + "/referrers/" + tagged.digest()).json().path("manifests").size());
    }
  }

  /** The grace period: blobs an upload just made, whose manifest is still to come, survive. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void uploadedBlobsWaitingForTheirManifestSurvive(Storage s) throws Exception {
    try (RegistryFixture f = RegistryFixture.start(s)) {
      RegistryHttp h = new RegistryHttp(f.port());
      h.pushImage("gc/other", "v1", "l");
      f.ageEverything(OLD);
      byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
      byte[] layer = bytes("a layer whose manifest is not put yet");
      Digest c = upload(h, "gc/pending", config);
      Digest l = h.pushBlob("gc/pending", layer);
      String session = h.startUpload("gc/pending");
      assertEquals(202, h.patch(session, bytes("half")).status());

      RegistryGc.Report r = f.gc(false, false, GRACE);
      assertEquals(List.of(), r.blobs(), r::toString);
      byte[] m = RegistryHttp.manifest(OCI_MANIFEST, OCI_CONFIG, c, config.length, List.of(Map.entry(l, layer.length)), null, null);
      h.pushManifest("gc/pending", "v1", OCI_MANIFEST, m);
      assertEquals(204, h.get(session).status(), "a running upload session is left alone");
    }
  }

  /**
   * A blob uploaded again (or mounted) just now is as young as a new one, though its bytes were stored
   * long ago: an old unreferenced blob a client has just pushed or mounted, whose manifest is still to
   * come, must survive the grace period like any other fresh upload.
   */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void blobPushedAgainOrMountedIsYoungAgain(Storage s) throws Exception {
    try (RegistryFixture f = RegistryFixture.start(s)) {
      RegistryHttp h = new RegistryHttp(f.port());
      byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
      byte[] again = bytes("pushed long ago, pushed again now");
      byte[] mounted = bytes("pushed long ago, mounted now");
      h.pushBlob("gc/old", again);
      h.pushBlob("gc/old", mounted);
      f.ageEverything(OLD);

      Digest c = h.pushBlob("gc/new", config);
      Digest a = upload(h, "gc/new", again);
      Resp mount = h.post("/v2/gc/new/blobs/uploads/?mount=" + Digest.sha256(mounted) + "&from=gc/old", new byte[0]);
      assertEquals(201, mount.status(), mount::toString);
      Digest m = Digest.sha256(mounted);

      RegistryGc.Report r = f.gc(false, false, GRACE);
      byte[] manifest = RegistryHttp.manifest(OCI_MANIFEST, OCI_CONFIG, c, config.length,
          List.of(Map.entry(a, again.length), Map.entry(m, mounted.length)), null, null);
      Resp put = h.put("/v2/gc/new/manifests/v1", manifest, "Content-Type", OCI_MANIFEST);
      assertAll(
          () -> assertFalse(r.blobs().contains(a), () -> "re-uploaded blob collected: " + r),
          () -> assertFalse(r.blobs().contains(m), () -> "just-mounted blob collected: " + r),
          () -> assertEquals(201, put.status(), () -> "the manifest for them: " + put));
    }
  }

  /**
   * With --delete-untagged, a manifest pushed by digest a moment ago (the child of an index whose
   * own push is still to come, as every multi-platform push goes) is young, not untagged garbage.
   */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void youngUntaggedManifestSurvivesDeleteUntagged(Storage s) throws Exception {
    try (RegistryFixture f = RegistryFixture.start(s)) {
      RegistryHttp h = new RegistryHttp(f.port());
      Image child = h.pushImage("gc/multi", null, "a child pushed just now");
      RegistryGc.Report r = f.gc(false, true, GRACE);
      Resp put = h.put("/v2/gc/multi/manifests/v1", RegistryHttp.index(List.of(Map.entry(child.digest(), child.manifest().length))),
          "Content-Type", OCI_INDEX);
      assertAll(
          () -> assertEquals(List.of(), r.manifests(), r::toString),
          () -> assertEquals(201, put.status(), () -> "the index for the child: " + put));
    }
  }
}
