package io.strata.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Digest;
import io.strata.oci.MediaTypes;
import io.strata.oci.Platform;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI layouts as other tools write them: nested indexes, name annotations, descriptor checks. */
class OciLayoutLoadTest {
  @TempDir Path tmp;
  ImageService service;
  TestArchives.TestImage img = TestArchives.image(List.of(TestArchives.base()), true);
  byte[] manifest;

  @BeforeEach
  void open() {
    service = ImageService.open(tmp.resolve("store"));
    byte[] layer = img.layers().getFirst();
    manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + img.id() + "\",\"size\":" + img.config().length
        + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + Digest.sha256(layer)
        + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
  }

  @AfterEach
  void close() {
    service.close();
  }

  private byte[] layout(String indexJson, byte[]... extraBlobs) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("index.json", indexJson.getBytes(StandardCharsets.UTF_8)); // before the blobs it names
    for (byte[] b : List.of(img.config(), img.layers().getFirst(), manifest)) m.put(blob(b), b);
    for (byte[] b : extraBlobs) m.put(blob(b), b);
    m.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    return TestArchives.tar(m);
  }

  private static String blob(byte[] b) {
    return "blobs/sha256/" + Digest.sha256(b).encoded();
  }

  private static String descriptor(String mediaType, byte[] b, String extra) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256(b) + "\",\"size\":" + b.length + extra + "}";
  }

  @Test
  void nestedIndexPicksThisPlatformAndNamesFromAnnotations() {
    Platform here = Platform.current();
    String other = "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + Digest.sha256(new byte[] {9})
        + "\",\"size\":1,\"platform\":{\"architecture\":\"s390x\",\"os\":\"linux\"}}";
    byte[] nested = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + other + ","
        + descriptor(MediaTypes.OCI_MANIFEST, manifest, ",\"platform\":{\"architecture\":\"" + here.architecture()
        + "\",\"os\":\"linux\"}") + "]}").getBytes(StandardCharsets.UTF_8);
    String index = "{\"schemaVersion\":2,\"manifests\":[" + descriptor(MediaTypes.OCI_INDEX, nested,
        ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"example.com/x:2\"}") + "]}";
    LoadResult r = service.load(new ByteArrayInputStream(layout(index, nested)), ProgressListener.NONE);
    assertEquals(List.of("example.com/x:2"), r.loadedRefs());
    assertEquals(List.of(img.id()), r.loadedIds());
    assertEquals(Digest.sha256(manifest), service.resolve("example.com/x:2").manifest().digest(), "manifest kept as is");
  }

  @Test
  void bareTagRefNameNamesNothingAndContainerdNameWins() {
    String index = "{\"schemaVersion\":2,\"manifests\":["
        + descriptor(MediaTypes.OCI_MANIFEST, manifest, ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}") + ","
        + descriptor(MediaTypes.OCI_MANIFEST, manifest, ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\","
            + "\"io.containerd.image.name\":\"docker.io/library/app:1\"}") + "]}";
    LoadResult r = service.load(new ByteArrayInputStream(layout(index)), ProgressListener.NONE);
    assertEquals(List.of("app:1"), r.loadedRefs());
    assertEquals(List.of(img.id()), r.loadedIds(), "one image for two index entries");
  }

  @Test
  void descriptorSizeMismatchIsRefused() {
    String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
        + Digest.sha256(manifest) + "\",\"size\":" + (manifest.length + 1) + "}]}";
    StoreState before = StoreState.of(service);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> service.load(new ByteArrayInputStream(layout(index)), ProgressListener.NONE));
    assertEquals("load: index.json: blob blobs/sha256/" + Digest.sha256(manifest).encoded() + " has "
        + manifest.length + " bytes, descriptor says " + (manifest.length + 1), e.getMessage());
    before.assertUnchanged(service);
  }
}
