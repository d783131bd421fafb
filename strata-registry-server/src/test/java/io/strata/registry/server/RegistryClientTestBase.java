package io.strata.registry.server;

import static io.strata.registry.server.ClientTestTools.assertBlob;
import static io.strata.registry.server.ClientTestTools.buildah;
import static io.strata.registry.server.ClientTestTools.containersEnv;
import static io.strata.registry.server.ClientTestTools.dockerPushedDigest;
import static io.strata.registry.server.ClientTestTools.exec;
import static io.strata.registry.server.ClientTestTools.get;
import static io.strata.registry.server.ClientTestTools.http;
import static io.strata.registry.server.ClientTestTools.podman;
import static io.strata.registry.server.ClientTestTools.require;
import static io.strata.registry.server.ClientTestTools.requireRoot;
import static io.strata.registry.server.ClientTestTools.rootfs;
import static io.strata.registry.server.ClientTestTools.run;
import static io.strata.registry.server.ClientTestTools.sha256;
import static io.strata.registry.server.ClientTestTools.smallTar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.image.Image;
import io.strata.oci.Json;
import io.strata.oci.Platform;
import io.strata.registry.Puller;
import io.strata.registry.server.RegistryFixture.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The strata registry server with the real clients: docker, podman, buildah and skopeo subprocesses
 * and strata's own client in-process. What one pushes another pulls with the same manifest and config
 * digests; a multi-platform index copied in with skopeo --all is pulled per platform; a chunked
 * upload cut mid-chunk resumes from the offset the server reports; docker mounts a layer from another
 * repository; a deleted image is collected and what is left still pulls. Subclasses choose the storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class RegistryClientTestBase {
  private static final Pattern DOCKER_PULLED = Pattern.compile("(?m)^Digest: (sha256:[0-9a-f]{64})$");

  Path shared; // this class's temporary directory, deleted at the end
  Path tmp; // a fresh directory for each test, under shared
  private final java.util.concurrent.atomic.AtomicInteger tests = new java.util.concurrent.atomic.AtomicInteger();
  RegistryFixture registry;
  private final List<String> dockerImages = new CopyOnWriteArrayList<>();
  private String dockerHost;

  abstract Storage storage();

  @BeforeEach
  void freshDirectory() throws IOException {
    tmp = Files.createDirectory(shared.resolve("t" + tests.incrementAndGet())); // short: podman's run root must be < 50 chars
  }

  @BeforeAll
  void startRegistry() throws Exception {
    shared = Files.createTempDirectory("ct");
    registry = RegistryFixture.start(storage());
  }

  @AfterAll
  void stopRegistry() throws Exception {
    if (dockerHost != null) {
      for (String i : dockerImages) exec(ClientTestTools.docker(dockerHost, shared.resolve("docker-config"), "rmi", "-f", i));
    }
    if (registry != null) registry.close();
    S3ProxyFixture.deleteTree(shared);
  }

  /** docker, for this class: its images are removed at the end (only those it made). */
  List<String> docker(String... args) {
    if (dockerHost == null) dockerHost = ClientTestTools.dockerHost();
    return ClientTestTools.docker(dockerHost, shared.resolve("docker-config"), args);
  }

  String ref(String repo, String tag) {
    return registry.host() + "/clienttest/" + storage().name().toLowerCase() + "-" + repo + ":" + tag;
  }

  String base() {
    return "http://" + registry.host();
  }

  static String repoOf(String ref) {
    String path = ref.substring(ref.indexOf('/') + 1);
    return path.contains("@") ? path.substring(0, path.indexOf('@')) : path.substring(0, path.lastIndexOf(':'));
  }

  /** {@code docker import} of {@code tar} as {@code ref}, removed at the end; its image ID. */
  String dockerImport(byte[] tar, String ref) throws IOException {
    Path f = Files.write(tmp.resolve("rootfs-" + sha256(tar).substring(7, 19) + ".tar"), tar);
    dockerImages.add(ref);
    run(docker("import", "-c", "CMD [\"sh\"]", f.toString(), ref));
    return run(docker("image", "inspect", "--format", "{{.Id}}", ref)).strip();
  }

  /** {@code docker pull REF}: the digest it reports; the image is removed at the end. */
  String dockerPull(String ref, String... flags) {
    dockerImages.add(ref);
    List<String> c = new ArrayList<>(docker("pull"));
    c.addAll(List.of(flags));
    c.add(ref);
    String out = run(c);
    Matcher m = DOCKER_PULLED.matcher(out);
    assertTrue(m.find(), () -> "no Digest line in docker pull output:\n" + out);
    return m.group(1);
  }

  String dockerId(String ref) {
    return run(docker("image", "inspect", "--format", "{{.Id}}", ref)).strip();
  }

  /** The manifest as skopeo reads it from the registry (raw bytes). */
  byte[] skopeoRawManifest(String ref) {
    return run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref)).getBytes(StandardCharsets.UTF_8);
  }

  /** podman pull, then the pulled image's digest and ID: {"sha256:..", "sha256:.."}. */
  String[] podmanPull(Path state, String ref) throws IOException {
    Map<String, String> env = containersEnv(state);
    run(podman(state, "pull", "-q", "--tls-verify=false", ref), env);
    String[] f = run(podman(state, "image", "inspect", "--format", "{{.Digest}} {{.Id}}", ref), env).strip().split(" ");
    return new String[] {f[0], "sha256:" + f[1]};
  }

  // ---- what one client pushes, the others pull

  @Test
  void whatDockerPushesSkopeoPodmanAndStrataPullWithTheSameDigests() throws IOException {
    requireRoot();
    require("skopeo", "podman");
    String ref = ref("docker-made", "1");
    String id = dockerImport(rootfs("docker-made-" + storage()), ref);
    String digest = dockerPushedDigest(run(docker("push", ref)));

    byte[] raw = skopeoRawManifest(ref);
    assertEquals(digest, sha256(raw), "skopeo reads the manifest docker pushed, byte for byte");
    JsonNode manifest = Json.readTree(raw, "manifest");
    assertEquals(id, manifest.path("config").path("digest").asText(), "the config docker pushed is its image ID");

    Path dir = tmp.resolve("dir-copy");
    run(List.of("skopeo", "copy", "-q", "--src-tls-verify=false", "--preserve-digests", "docker://" + ref, "dir:" + dir));
    assertEquals(digest, sha256(dir.resolve("manifest.json")), "skopeo copy out keeps the manifest");
    for (JsonNode l : manifest.path("layers")) {
      assertEquals(l.path("digest").asText(), sha256(dir.resolve(l.path("digest").asText().substring(7))), "layer copied out whole");
    }

    assertEquals(List.of(digest, id), List.of(podmanPull(tmp.resolve("podman"), ref)), "podman pulls the same manifest and config");

    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
      Puller.Result r = strata.pull(ref);
      assertEquals(digest, r.digest().toString(), "strata pulls the manifest docker pushed");
      assertEquals(id, r.imageId().toString(), "strata's image ID is docker's");
      strata.assertFsckClean();
    }
  }

  @Test
  void whatPodmanPushesDockerAndStrataPullWithTheSameDigests() throws IOException {
    requireRoot();
    require("podman");
    Path state = tmp.resolve("podman");
    Map<String, String> env = containersEnv(state);
    Path tar = Files.write(tmp.resolve("podman-rootfs.tar"), rootfs("podman-made-" + storage()));
    String local = "localhost/clienttest/podman-made:1";
    run(podman(state, "import", "-q", "--change", "CMD=sh", tar.toString(), local), env);
    String id = "sha256:" + run(podman(state, "image", "inspect", "--format", "{{.Id}}", local), env).strip();
    String ref = ref("podman-made", "1");
    Path digestFile = tmp.resolve("podman.digest");
    run(podman(state, "push", "-q", "--tls-verify=false", "--digestfile", digestFile.toString(), local, "docker://" + ref), env);
    String digest = Files.readString(digestFile).strip();

    assertEquals(digest, sha256(skopeoRawManifest(ref)), "the registry serves what podman pushed, byte for byte");
    assertEquals(digest, dockerPull(ref), "docker pulls the manifest podman pushed");
    assertEquals(id, dockerId(ref), "docker's image ID is podman's");
    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
      Puller.Result r = strata.pull(ref);
      assertEquals(digest, r.digest().toString());
      assertEquals(id, r.imageId().toString());
    }
  }

  @Test
  void whatBuildahPushesDockerSkopeoAndStrataPullWithTheSameDigests() throws IOException {
    requireRoot();
    require("buildah", "skopeo");
    Path state = tmp.resolve("buildah");
    Map<String, String> env = containersEnv(state);
    Path tar = Files.write(tmp.resolve("buildah-rootfs.tar"), rootfs("buildah-made-" + storage()));
    String ctr = run(buildah(state, "from", "--name", "clienttest-buildah-" + registry.port(), "scratch"), env).strip();
    run(buildah(state, "add", ctr, tar.toString(), "/"), env);
    run(buildah(state, "config", "--cmd", "sh", ctr), env);
    String local = "localhost/clienttest/buildah-made:1";
    String id = "sha256:" + run(buildah(state, "commit", "-q", "--rm", ctr, local), env).strip();
    String ref = ref("buildah-made", "1");
    Path digestFile = tmp.resolve("buildah.digest");
    run(buildah(state, "push", "-q", "--tls-verify=false", "--digestfile", digestFile.toString(), local, "docker://" + ref), env);
    String digest = Files.readString(digestFile).strip();

    byte[] raw = skopeoRawManifest(ref);
    assertEquals(digest, sha256(raw));
    assertEquals(id, Json.readTree(raw, "manifest").path("config").path("digest").asText());
    assertEquals(digest, dockerPull(ref), "docker pulls the manifest buildah pushed");
    assertEquals(id, dockerId(ref));
    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
      Puller.Result r = strata.pull(ref);
      assertEquals(digest, r.digest().toString());
      assertEquals(id, r.imageId().toString());
    }
  }

  @Test
  void whatStrataPushesDockerPodmanAndSkopeoPullWithTheSameDigests() throws IOException {
    requireRoot();
    require("podman", "skopeo");
    String ref = ref("strata-made", "1");
    String digest;
    String id;
    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
      Image image = strata.importImage(rootfs("strata-made-" + storage()), ref);
      id = image.id().toString();
      digest = strata.push(image, ref);
      assertEquals(digest, strata.push(image, ref), "a second push: the same digest, nothing to upload");
    }
    assertEquals(digest, sha256(skopeoRawManifest(ref)));
    assertEquals(digest, dockerPull(ref), "docker pulls the manifest strata pushed");
    assertEquals(id, dockerId(ref));
    assertEquals(List.of(digest, id), List.of(podmanPull(tmp.resolve("podman"), ref)));
    try (ClientTestTools.Strata other = new ClientTestTools.Strata(tmp.resolve("strata-other"))) {
      Puller.Result r = other.pull(ref);
      assertEquals(digest, r.digest().toString(), "another strata store pulls it back");
      assertEquals(id, r.imageId().toString());
      other.assertFsckClean();
    }
  }

  @Test
  void skopeoCopiesAnOciLayoutInAndBackOutWithEveryDigestKept() throws IOException {
    require("skopeo");
    ClientTestTools.OciLayout layout = new ClientTestTools.OciLayout(tmp.resolve("layout"));
    ObjectNode image = layout.image(List.of(rootfs("skopeo-base-" + storage()), smallTar("top", "skopeo " + storage())), "linux",
        Platform.current().architecture());
    layout.tag("t", image);
    String ref = ref("skopeo-made", "1");
    run(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "--preserve-digests", "oci:" + layout.dir + ":t", "docker://" + ref));
    String digest = image.path("digest").asText();

    Path back = tmp.resolve("back");
    run(List.of("skopeo", "copy", "-q", "--src-tls-verify=false", "--preserve-digests", "docker://" + ref, "oci:" + back + ":t"));
    ClientTestTools.OciLayout out = new ClientTestTools.OciLayout(back);
    assertEquals(digest, out.tagged("t").path("digest").asText(), "the manifest digest survives the round trip");
    JsonNode manifest = Json.readTree(out.blob(digest), "manifest");
    assertEquals(image.path("configDigest").asText(), manifest.path("config").path("digest").asText());
    out.blob(manifest.path("config").path("digest").asText());
    for (JsonNode l : manifest.path("layers")) {
      assertEquals(List.of(), diff(layout.blob(l.path("digest").asText()), out.blob(l.path("digest").asText())), "layer bytes");
    }

    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
      Puller.Result r = strata.pull(ref);
      assertEquals(digest, r.digest().toString());
      assertEquals(image.path("configDigest").asText(), r.imageId().toString());
    }
    assertEquals(digest, dockerPull(ref), "docker pulls what skopeo copied in");
    assertEquals(image.path("configDigest").asText(), dockerId(ref));
  }

  private static List<String> diff(byte[] a, byte[] b) {
    return java.util.Arrays.equals(a, b) ? List.of() : List.of(a.length + " bytes != " + b.length + " bytes");
  }

  // ---- a multi-platform index

  @Test
  void aMultiPlatformIndexCopiedWithSkopeoAllIsPulledPerPlatform() throws IOException {
    require("skopeo");
    String hostArch = Platform.current().architecture();
    String otherArch = hostArch.equals("arm64") ? "amd64" : "arm64";
    ClientTestTools.OciLayout layout = new ClientTestTools.OciLayout(tmp.resolve("layout"));
    ObjectNode here = layout.image(List.of(rootfs("multi-" + hostArch + "-" + storage())), "linux", hostArch);
    ObjectNode other = layout.image(List.of(smallTar("marker", "multi-" + otherArch + "-" + storage())), "linux", otherArch);
    ObjectNode index = layout.index("multi", List.of(here, other));
    String ref = ref("multi", "1");
    run(List.of("skopeo", "copy", "-q", "--all", "--dest-tls-verify=false", "--preserve-digests", "oci:" + layout.dir + ":multi",
        "docker://" + ref));
    String indexDigest = index.path("digest").asText();
    assertEquals(indexDigest, sha256(skopeoRawManifest(ref)), "the index is served as skopeo pushed it");
    String repo = repoOf(ref);
    for (ObjectNode m : List.of(here, other)) {
      HttpResponse<byte[]> r = http("GET", base() + "/v2/" + repo + "/manifests/" + m.path("digest").asText(),
          Map.of("Accept", "application/vnd.oci.image.manifest.v1+json"), null);
      assertEquals(200, r.statusCode());
      assertEquals(m.path("digest").asText(), sha256(r.body()), "each platform's manifest by digest");
    }

    Path back = tmp.resolve("back");
    run(List.of("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", "--preserve-digests", "docker://" + ref, "oci:" + back + ":m"));
    ClientTestTools.OciLayout out = new ClientTestTools.OciLayout(back);
    assertEquals(indexDigest, out.tagged("m").path("digest").asText(), "skopeo copies the whole index back out");
    out.blob(other.path("configDigest").asText());

    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
      Puller.Result mine = strata.pull(ref);
      assertEquals(indexDigest, mine.digest().toString());
      assertEquals(here.path("configDigest").asText(), mine.imageId().toString(), "strata picks the host's image");
    }
    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata-other"))) {
      Puller.Result theirs = strata.pull(ref, Platform.of("linux", otherArch, null));
      assertEquals(indexDigest, theirs.digest().toString());
      assertEquals(other.path("configDigest").asText(), theirs.imageId().toString(), "strata picks the other platform's image");
    }
    assertEquals(indexDigest, dockerPull(ref), "docker pulls the index");
    assertEquals(here.path("configDigest").asText(), dockerId(ref), "docker picks the host's image");
    String otherRef = ref("multi", "1-" + otherArch);
    run(List.of("skopeo", "copy", "-q", "--all", "--src-tls-verify=false", "--dest-tls-verify=false", "--preserve-digests",
        "docker://" + ref, "docker://" + otherRef));
    assertEquals(indexDigest, dockerPull(otherRef, "--platform", "linux/" + otherArch));
    assertEquals(other.path("configDigest").asText(), dockerId(otherRef), "docker pull --platform picks the other image");
  }

  // ---- an upload cut in the middle of a chunk, resumed

  @Test
  void aChunkedUploadCutMidChunkResumesFromTheOffsetTheRegistryReports() throws Exception {
    byte[] blob = new byte[3 << 20];
    new Random(42 + storage().ordinal()).nextBytes(blob);
    String digest = sha256(blob);
    String repo = "clienttest/" + storage().name().toLowerCase() + "-resumed";
    HttpResponse<byte[]> start = http("POST", base() + "/v2/" + repo + "/blobs/uploads/", Map.of(), null);
    assertEquals(202, start.statusCode());
    String location = start.headers().firstValue("Location").orElseThrow();
    String url = location.startsWith("http") ? location : base() + location;

    int first = 1 << 20;
    HttpResponse<byte[]> c1 = http("PATCH", url, Map.of("Content-Type", "application/octet-stream",
        "Content-Range", "0-" + (first - 1)), java.util.Arrays.copyOfRange(blob, 0, first));
    assertEquals(202, c1.statusCode(), () -> new String(c1.body(), StandardCharsets.UTF_8));
    assertEquals("0-" + (first - 1), c1.headers().firstValue("Range").orElse(null));

    // the second chunk: Content-Length 1 MiB, 300 KiB sent, then the connection is cut
    int sent = 300 << 10;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", registry.port()), 5000);
      s.setSoTimeout(5000);
      String path = java.net.URI.create(url).getRawPath();
      OutputStream out = s.getOutputStream();
      out.write(("PATCH " + path + " HTTP/1.1\r\nHost: " + registry.host() + "\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Range: " + first + "-" + (2 * first - 1) + "\r\nContent-Length: " + first + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(blob, first, sent);
      out.flush();
      Thread.sleep(200);
    } // closed: the server reads EOF in the middle of the body

    long offset = stableOffset(url);
    assertTrue(offset >= first && offset <= first + sent,
        "after the cut the upload holds what was acknowledged plus at most what was sent: " + offset);

    // resume from the offset the registry reports, as a client does after GET of the upload
    HttpResponse<byte[]> rest = http("PATCH", url, Map.of("Content-Type", "application/octet-stream",
        "Content-Range", offset + "-" + (blob.length - 1)), java.util.Arrays.copyOfRange(blob, (int) offset, blob.length));
    assertEquals(202, rest.statusCode(), () -> new String(rest.body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> stale = http("PATCH", url, Map.of("Content-Type", "application/octet-stream", "Content-Range",
        first + "-" + (first + 9)), new byte[10]);
    assertEquals(416, stale.statusCode(), "a chunk at an offset the upload is past is refused");
    HttpResponse<byte[]> done = http("PUT", url + (url.contains("?") ? "&" : "?") + "digest=" + digest, Map.of(), null);
    assertEquals(201, done.statusCode(), () -> new String(done.body(), StandardCharsets.UTF_8));
    assertBlob(base(), repo, digest);
  }

  /** The upload's size once two GETs of its status agree (the cut request may still be finishing). */
  private static long stableOffset(String url) throws InterruptedException {
    long last = -2;
    for (int i = 0; i < 50; i++) {
      HttpResponse<byte[]> r = http("GET", url, Map.of(), null);
      assertEquals(204, r.statusCode(), "upload status after the cut");
      String range = r.headers().firstValue("Range").orElseThrow();
      long now = Long.parseLong(range.substring(range.indexOf('-') + 1)) + 1;
      if (now == last) return now;
      last = now;
      Thread.sleep(100);
    }
    throw new AssertionError("the upload's size kept changing after the connection was cut");
  }

  // ---- cross-repository mount

  @Test
  void dockerMountsALayerFromAnotherRepository() throws IOException {
    String a = ref("mount-a", "1");
    String b = ref("mount-b", "1");
    dockerImport(rootfs("mounted-" + storage()), a);
    String digest = dockerPushedDigest(run(docker("push", a)));
    dockerImages.add(b);
    run(docker("tag", a, b));
    String out = run(docker("push", b));
    assertTrue(out.contains("Mounted from " + repoOf(a)), () -> "docker push of the same layers to another repository mounts them:\n" + out);
    assertEquals(digest, dockerPushedDigest(out));
    JsonNode manifest = Json.readTree(get(base() + "/v2/" + repoOf(b) + "/manifests/1").body(), "manifest");
    for (JsonNode l : manifest.path("layers")) assertBlob(base(), repoOf(b), l.path("digest").asText());
    assertBlob(base(), repoOf(b), manifest.path("config").path("digest").asText());
  }

  // ---- delete, then gc

  @Test
  void aDeletedImageIsCollectedAndWhatIsLeftStillPulls() throws Exception {
    require("skopeo");
    try (RegistryFixture own = RegistryFixture.start(storage())) {
      String base = "http://" + own.host();
      ClientTestTools.OciLayout layout = new ClientTestTools.OciLayout(tmp.resolve("layout"));
      byte[] shared = rootfs("gc-shared-" + storage());
      ObjectNode a = layout.image(List.of(shared, smallTar("a", "only in a")), "linux", Platform.current().architecture());
      ObjectNode b = layout.image(List.of(shared, smallTar("b", "only in b")), "linux", Platform.current().architecture());
      layout.tag("a", a);
      layout.tag("b", b);
      String refA = own.host() + "/clienttest/gc-a:1";
      String refB = own.host() + "/clienttest/gc-b:1";
      for (String[] t : new String[][] {{"a", refA}, {"b", refB}}) {
        run(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "--preserve-digests", "oci:" + layout.dir + ":" + t[0],
            "docker://" + t[1]));
      }
      JsonNode ma = Json.readTree(layout.blob(a.path("digest").asText()), "a");
      JsonNode mb = Json.readTree(layout.blob(b.path("digest").asText()), "b");
      String sharedLayer = ma.path("layers").get(0).path("digest").asText();
      assertEquals(sharedLayer, mb.path("layers").get(0).path("digest").asText());

      run(List.of("skopeo", "delete", "--tls-verify=false", "docker://" + own.host() + "/clienttest/gc-a@" + a.path("digest").asText()));
      assertEquals(404, get(base + "/v2/clienttest/gc-a/manifests/1").statusCode(), "the tag went with the manifest");
      RegistryGc.Report report = own.gc(false, false, Duration.ZERO);

      Set<String> expected = Set.of(a.path("digest").asText(), a.path("configDigest").asText(),
          ma.path("layers").get(1).path("digest").asText());
      Set<String> deleted = new HashSet<>();
      report.blobs().forEach(d -> deleted.add(d.toString()));
      assertEquals(expected, deleted, "gc deletes a's manifest, config and own layer, and nothing else");
      for (String d : expected) {
        assertFalse(own.blobStored(io.strata.oci.Digest.parse(d)), d + " is gone from storage");
        assertEquals(404, get(base + "/v2/clienttest/gc-a/blobs/" + d).statusCode());
      }
      assertBlob(base, "clienttest/gc-a", sharedLayer); // b still names it: kept, and a's link to it too

      Path back = tmp.resolve("b-back");
      run(List.of("skopeo", "copy", "-q", "--src-tls-verify=false", "--preserve-digests", "docker://" + refB, "oci:" + back + ":b"));
      ClientTestTools.OciLayout out = new ClientTestTools.OciLayout(back);
      assertEquals(b.path("digest").asText(), out.tagged("b").path("digest").asText());
      for (JsonNode l : mb.path("layers")) out.blob(l.path("digest").asText());
      try (ClientTestTools.Strata strata = new ClientTestTools.Strata(tmp.resolve("strata"))) {
        assertEquals(b.path("configDigest").asText(), strata.pull(refB).imageId().toString(), "b still pulls after gc");
      }
      RegistryGc.Report again = own.gc(false, false, Duration.ZERO);
      assertEquals(List.of(), again.blobs(), "a second gc finds nothing");
    }
  }
}
