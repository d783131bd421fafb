package io.strata.registry.server;

import static io.strata.registry.server.ClientTestTools.assertBlob;
import static io.strata.registry.server.ClientTestTools.dockerPushedDigest;
import static io.strata.registry.server.ClientTestTools.exec;
import static io.strata.registry.server.ClientTestTools.http;
import static io.strata.registry.server.ClientTestTools.require;
import static io.strata.registry.server.ClientTestTools.rootfs;
import static io.strata.registry.server.ClientTestTools.run;
import static io.strata.registry.server.ClientTestTools.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.image.Image;
import io.strata.oci.Json;
import io.strata.registry.Puller;
import io.strata.registry.server.RegistryFixture.Storage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two registry servers on one storage (one S3 bucket, or one directory): each serves what the other
 * took, to real clients; an upload started on one is continued and finished on the other.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedStorageClientTest {
  @TempDir Path tmp;
  private RegistryFixture registry;
  private final List<String> dockerImages = new ArrayList<>();
  private String dockerHost;

  @AfterEach
  void stop() throws Exception {
    if (dockerHost != null) for (String i : dockerImages) exec(ClientTestTools.docker(dockerHost, tmp.resolve("docker"), "rmi", "-f", i));
    if (registry != null) registry.close();
  }

  private List<String> docker(String... args) {
    if (dockerHost == null) dockerHost = ClientTestTools.dockerHost();
    return ClientTestTools.docker(dockerHost, tmp.resolve("docker"), args);
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void whatOneServerTookTheOtherServes(Storage storage) throws Exception {
    require("skopeo");
    registry = RegistryFixture.start(storage);
    String one = registry.host();
    String other = "127.0.0.1:" + registry.startAnother();

    // docker pushes through one, docker, skopeo and strata pull through the other
    String viaOne = one + "/clienttest/shared-docker:1";
    String viaOther = other + "/clienttest/shared-docker:1";
    Path tar = Files.write(tmp.resolve("rootfs.tar"), rootfs("shared-" + storage));
    dockerImages.add(viaOne);
    run(docker("import", "-c", "CMD [\"sh\"]", tar.toString(), viaOne));
    String id = run(docker("image", "inspect", "--format", "{{.Id}}", viaOne)).strip();
    String digest = dockerPushedDigest(run(docker("push", viaOne)));
    dockerImages.add(viaOther);
    String pulled = run(docker("pull", viaOther));
    assertTrue(pulled.contains("Digest: " + digest), pulled);
    assertEquals(id, run(docker("image", "inspect", "--format", "{{.Id}}", viaOther)).strip());
    assertEquals(digest, sha256(run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + viaOther))
        .getBytes(StandardCharsets.UTF_8)));
    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
      Puller.Result r = strata.pull(viaOther);
      assertEquals(digest, r.digest().toString());
      assertEquals(id, r.imageId().toString());

      // strata pushes through the other, docker pulls through the first
      String back = other + "/clienttest/shared-strata:1";
      Image image = strata.importImage(ClientTestTools.smallTar("strata", "shared " + storage), back);
      String strataDigest = strata.push(image, back);
      String first = one + "/clienttest/shared-strata:1";
      dockerImages.add(first);
      String out = run(docker("pull", first));
      assertTrue(out.contains("Digest: " + strataDigest), out);
      assertEquals(image.id().toString(), run(docker("image", "inspect", "--format", "{{.Id}}", first)).strip());
    }
    JsonNode tags = Json.readTree(ClientTestTools.get("http://" + other + "/v2/clienttest/shared-docker/tags/list").body(), "tags");
    assertEquals("1", tags.path("tags").get(0).asText(), "a tag put through one is listed by the other");
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void anUploadStartedOnOneServerIsFinishedOnTheOther(Storage storage) throws Exception {
    registry = RegistryFixture.start(storage);
    String one = "http://" + registry.host();
    String other = "http://127.0.0.1:" + registry.startAnother();
    String repo = "clienttest/shared-upload";
    byte[] blob = new byte[(3 << 20) + 12345];
    new Random(7).nextBytes(blob);
    String digest = sha256(blob);

    HttpResponse<byte[]> start = http("POST", one + "/v2/" + repo + "/blobs/uploads/", Map.of(), null);
    assertEquals(202, start.statusCode());
    String location = start.headers().firstValue("Location").orElseThrow();
    String path = location.startsWith("http") ? java.net.URI.create(location).getRawPath() : location;
    int cut = 1 << 20;
    HttpResponse<byte[]> c1 = http("PATCH", one + path, Map.of("Content-Type", "application/octet-stream", "Content-Range",
        "0-" + (cut - 1)), Arrays.copyOfRange(blob, 0, cut));
    assertEquals(202, c1.statusCode());
    HttpResponse<byte[]> status = http("GET", other + path, Map.of(), null);
    assertEquals(204, status.statusCode(), "the other server knows the upload");
    assertEquals("0-" + (cut - 1), status.headers().firstValue("Range").orElse(null), "and how much it holds");
    HttpResponse<byte[]> c2 = http("PATCH", other + path, Map.of("Content-Type", "application/octet-stream", "Content-Range",
        cut + "-" + (2 * cut - 1)), Arrays.copyOfRange(blob, cut, 2 * cut));
    assertEquals(202, c2.statusCode(), () -> new String(c2.body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> c3 = http("PATCH", one + path, Map.of("Content-Type", "application/octet-stream", "Content-Range",
        2 * cut + "-" + (blob.length - 1)), Arrays.copyOfRange(blob, 2 * cut, blob.length));
    assertEquals(202, c3.statusCode(), () -> new String(c3.body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> done = http("PUT", other + path + "?digest=" + digest, Map.of(), null);
    assertEquals(201, done.statusCode(), () -> new String(done.body(), StandardCharsets.UTF_8));
    assertBlob(one, repo, digest);
    assertBlob(other, repo, digest);
    assertEquals(404, http("GET", one + path, Map.of(), null).statusCode(), "the finished upload is gone on both");

    // a manifest naming it, put through the first, is served by the other
    byte[] configBytes = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
    String config = ClientTestTools.putBlob(one, repo, configBytes);
    byte[] manifest = ClientTestTools.ociManifest(config, configBytes.length, List.<String[]>of(new String[] {digest, Long.toString(blob.length)}));
    String m = ClientTestTools.putManifest(one, repo, "1", "application/vnd.oci.image.manifest.v1+json", manifest);
    HttpResponse<byte[]> got = http("GET", other + "/v2/" + repo + "/manifests/1", Map.of("Accept", "application/vnd.oci.image.manifest.v1+json"), null);
    assertEquals(200, got.statusCode());
    assertEquals(m, sha256(got.body()));
  }
}
