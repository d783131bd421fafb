package io.strata.cli.interop;

import static io.strata.cli.interop.ExternalTools.require;
import static io.strata.cli.interop.ExternalTools.requireRoot;
import static io.strata.cli.interop.ExternalTools.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Digest;
import io.strata.oci.Json;
import io.strata.oci.MediaTypes;
import io.strata.oci.OciValidator;
import io.strata.testkit.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written by strata are read by skopeo and unpacked by umoci; skopeo's archives load into strata. */
class SkopeoUmociInteropTest {
  @TempDir Path tmp;
  private StrataCli strata;
  private String id;

  @BeforeEach
  void importBusybox() throws IOException {
    require("skopeo");
    require("umoci");
    requireRoot();
    strata = new StrataCli(tmp.resolve("store"));
    Path rootfs = tmp.resolve("rootfs.tar");
    Files.write(rootfs, StrataCli.busyboxRootfs());
    id = strata.ok("import", "-c", "CMD [\"sh\"]", "-c", "ENV PATH=/bin", "-c", "WORKDIR /home/user",
        rootfs.toString(), "interop/busybox:1").strip();
  }

  @Test
  void dockerArchiveThroughSkopeoUnpacksByUmociToStratasOwnRoot() throws IOException {
    Path archive = tmp.resolve("a.tar");
    strata.ok("save", "-o", archive.toString(), "interop/busybox:1");
    Path layout = tmp.resolve("layout");
    run(List.of("skopeo", "copy", "-q", "docker-archive:" + archive, "oci:" + layout + ":t"));
    Path bundle = tmp.resolve("bundle");
    run(List.of("umoci", "unpack", "--image", layout + ":t", bundle.toString()));

    TreeSnapshot umoci = TreeSnapshot.of(bundle.resolve("rootfs"));
    TreeSnapshot ours = TreeSnapshot.of(strata.flatten("interop/busybox:1", tmp));
    assertEquals(List.of(), ours.diff(umoci), "strata's flattened root vs umoci's unpack");
  }

  @Test
  void ociLayoutIsUnpackedByUmociAndEveryDocumentValidates() throws IOException {
    Path archive = tmp.resolve("oci.tar");
    strata.ok("save", "--format", "oci", "-o", archive.toString(), "interop/busybox:1");
    Path layout = Files.createDirectories(tmp.resolve("oci"));
    run(List.of("tar", "-xf", archive.toString(), "-C", layout.toString()));

    OciValidator.validate(Files.readAllBytes(layout.resolve("oci-layout")), MediaTypes.OCI_LAYOUT_HEADER);
    byte[] indexBytes = Files.readAllBytes(layout.resolve("index.json"));
    OciValidator.validate(indexBytes, MediaTypes.OCI_INDEX);
    JsonNode index = Json.read(indexBytes, JsonNode.class, "index.json");
    assertEquals(1, index.path("manifests").size(), "one image in the layout");
    JsonNode m = index.path("manifests").get(0);
    assertEquals(MediaTypes.OCI_MANIFEST, m.path("mediaType").asText());
    byte[] manifestBytes = blob(layout, m.path("digest").asText());
    OciValidator.validate(manifestBytes, MediaTypes.OCI_MANIFEST);
    JsonNode manifest = Json.read(manifestBytes, JsonNode.class, "manifest");
    byte[] config = blob(layout, manifest.path("config").path("digest").asText());
    OciValidator.validate(config, MediaTypes.OCI_CONFIG);
    assertEquals(id, Digest.sha256(config).toString(), "the image ID is the config digest");
    for (JsonNode layer : manifest.path("layers")) {
      blob(layout, layer.path("digest").asText()); // present and hashing to its name
    }

    String ref = m.path("annotations").path("org.opencontainers.image.ref.name").asText();
    Path bundle = tmp.resolve("bundle");
    run(List.of("umoci", "unpack", "--image", layout + ":" + ref, bundle.toString()));
    assertEquals(List.of(), TreeSnapshot.of(strata.flatten("interop/busybox:1", tmp)).diff(TreeSnapshot.of(bundle.resolve("rootfs"))));
  }

  @Test
  void skopeoWrittenDockerArchiveLoadsWithTheSameIdAndLayers() throws IOException {
    Path archive = tmp.resolve("a.tar");
    strata.ok("save", "-o", archive.toString(), "interop/busybox:1");
    Path skopeoArchive = tmp.resolve("b.tar");
    run(List.of("skopeo", "copy", "-q", "docker-archive:" + archive, "docker-archive:" + skopeoArchive + ":demo/x:1"));

    StrataCli fresh = new StrataCli(tmp.resolve("store2"));
    fresh.ok("load", "-i", skopeoArchive.toString());
    JsonNode loaded = fresh.inspect("demo/x:1");
    assertEquals(id, loaded.path("Id").asText());
    assertEquals(StrataCli.layers(strata.inspect("interop/busybox:1")), StrataCli.layers(loaded));
    assertEquals("checked 3 blobs: ok", fresh.ok("system", "fsck").strip());
  }

  /**
   * skopeo's oci: transport rewrites the config (it drops Docker's top-level "comment"), so the ID
   * of the image in its layout is skopeo's config digest: strata must keep exactly that, and the
   * same layers.
   */
  @Test
  void skopeoWrittenOciLayoutLoadsWithItsOwnConfigDigest() throws IOException {
    Path archive = tmp.resolve("a.tar");
    strata.ok("save", "-o", archive.toString(), "interop/busybox:1");
    Path layout = tmp.resolve("layout");
    run(List.of("skopeo", "copy", "-q", "docker-archive:" + archive, "oci-archive:" + layout + ".tar:demo/y:2"));
    Path extracted = Files.createDirectories(tmp.resolve("extracted"));
    run(List.of("tar", "-xf", layout + ".tar", "-C", extracted.toString()));
    JsonNode index = Json.read(Files.readAllBytes(extracted.resolve("index.json")), JsonNode.class, "index.json");
    JsonNode manifest = Json.read(blob(extracted, index.path("manifests").get(0).path("digest").asText()), JsonNode.class, "manifest");
    String skopeoConfig = manifest.path("config").path("digest").asText();

    StrataCli fresh = new StrataCli(tmp.resolve("store3"));
    fresh.ok("load", "-i", layout + ".tar");
    JsonNode loaded = fresh.inspect(skopeoConfig);
    assertEquals(skopeoConfig, loaded.path("Id").asText());
    assertEquals(StrataCli.layers(strata.inspect("interop/busybox:1")), StrataCli.layers(loaded));
  }

  private static byte[] blob(Path layout, String digest) throws IOException {
    Digest d = Digest.parseSupported(digest);
    byte[] bytes = Files.readAllBytes(layout.resolve("blobs").resolve(d.algorithm()).resolve(d.hex()));
    assertEquals(d, Digest.sha256(bytes), "blob " + digest + " hashes to its name");
    return bytes;
  }
}
