package io.strata.registry.server;

import static io.strata.registry.server.RegistryHttp.OCI_CONFIG;
import static io.strata.registry.server.RegistryHttp.OCI_INDEX;
import static io.strata.registry.server.RegistryHttp.OCI_MANIFEST;
import static io.strata.registry.server.RegistryHttp.bytes;
import static io.strata.registry.server.RegistryHttp.repo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Digest;
import io.strata.registry.server.RegistryFixture.Storage;
import io.strata.registry.server.RegistryHttp.Image;
import io.strata.registry.server.RegistryHttp.Resp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The distribution spec's pull, push, content discovery and content management, raw, on both storages. */
class RegistryProtocolTest extends TwoStorageTestBase {

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  // ---- base, blobs

  @ParameterizedTest
  @EnumSource(Storage.class)
  void baseAnswersWithApiVersion(Storage s) throws Exception {
    Resp r = http(s).get("/v2/");
    assertEquals(200, r.status(), r::toString);
    assertEquals("registry/2.0", r.header("Docker-Distribution-API-Version"));
    assertEquals(200, http(s).get("/v2").status());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void blobGetHeadAndRanges(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("blob");
    byte[] content = random(100, 1);
    Digest d = h.pushBlob(repo, content);
    String path = "/v2/" + repo + "/blobs/" + d;

    Resp head = h.head(path);
    assertEquals(200, head.status(), head::toString);
    assertEquals("100", head.header("Content-Length"));
    assertEquals(d.toString(), head.header("Docker-Content-Digest"));
    assertEquals(0, head.body().length);

    Resp get = h.get(path);
    assertEquals(200, get.status());
    assertArrayEquals(content, get.body());
    assertEquals(d.toString(), get.header("Docker-Content-Digest"));

    Resp part = h.get(path, "Range", "bytes=10-19");
    assertEquals(206, part.status(), part::toString);
    assertEquals("bytes 10-19/100", part.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(content, 10, 20), part.body());

    Resp open = h.get(path, "Range", "bytes=90-");
    assertEquals(206, open.status());
    assertEquals("bytes 90-99/100", open.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(content, 90, 100), open.body());

    Resp clamped = h.get(path, "Range", "bytes=50-500");
    assertEquals(206, clamped.status());
    assertEquals("bytes 50-99/100", clamped.header("Content-Range"));
    assertEquals(50, clamped.body().length);

    Resp beyond = h.get(path, "Range", "bytes=100-");
    assertEquals(416, beyond.status(), beyond::toString);
    assertEquals("bytes */100", beyond.header("Content-Range"));
  }

  /**
   * Valid ranges the server does not serve as one part (a suffix, several parts) are either served
   * or ignored (RFC 9110 14.2: a server may ignore Range), never answered 416: they are satisfiable.
   */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void suffixAndMultipartRangesAreServedOrIgnored(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("ranges");
    byte[] content = random(100, 8);
    Digest d = h.pushBlob(repo, content);
    String path = "/v2/" + repo + "/blobs/" + d;
    Resp suffix = h.get(path, "Range", "bytes=-10");
    assertTrue(suffix.status() == 200 && Arrays.equals(content, suffix.body())
        || suffix.status() == 206 && Arrays.equals(Arrays.copyOfRange(content, 90, 100), suffix.body()), suffix::toString);
    Resp multi = h.get(path, "Range", "bytes=0-1,5-6");
    assertTrue(multi.status() == 200 || multi.status() == 206, multi::toString);
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void unknownAndInvalidBlobDigests(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("blob");
    h.pushBlob(repo, bytes("something"));
    Digest absent = Digest.sha256(bytes("never pushed"));
    Resp r = h.get("/v2/" + repo + "/blobs/" + absent);
    assertEquals(404, r.status());
    assertEquals("BLOB_UNKNOWN", r.code());
    assertEquals(404, h.head("/v2/" + repo + "/blobs/" + absent).status());
    Resp bad = h.get("/v2/" + repo + "/blobs/sha256:abc");
    assertEquals(400, bad.status());
    assertEquals("DIGEST_INVALID", bad.code());
    Resp upper = h.get("/v2/" + repo + "/blobs/sha256:" + absent.encoded().toUpperCase(java.util.Locale.ROOT));
    assertEquals("DIGEST_INVALID", upper.code());
  }

  /** A zero-byte blob (the empty layer) is as pullable as any other. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void emptyBlobIsServed(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("empty");
    Digest d = h.pushBlob(repo, new byte[0]);
    assertEquals("0", h.head("/v2/" + repo + "/blobs/" + d).header("Content-Length"));
    Resp get = h.get("/v2/" + repo + "/blobs/" + d);
    assertEquals(200, get.status(), get::toString);
    assertEquals(0, get.body().length);
  }

  // ---- uploads

  @ParameterizedTest
  @EnumSource(Storage.class)
  void monolithicDigestMismatchStoresNothing(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("mono");
    byte[] content = bytes("the real content " + s);
    Digest claimed = Digest.sha256(bytes("something else " + s));
    Resp r = h.post("/v2/" + repo + "/blobs/uploads/?digest=" + claimed, content);
    assertEquals(400, r.status(), r::toString);
    assertEquals("DIGEST_INVALID", r.code());
    assertEquals(404, h.head("/v2/" + repo + "/blobs/" + claimed).status());
    assertEquals(404, h.head("/v2/" + repo + "/blobs/" + Digest.sha256(content)).status());
    assertFalse(registry(s).blobStored(claimed));
    assertFalse(registry(s).blobStored(Digest.sha256(content)));
    assertEquals(List.of(), registry(s).keys("_tmp/"));
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void chunkedUploadInOrderOutOfOrderStatusAndCommit(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("chunked");
    byte[] content = random(35, 2);
    Digest d = Digest.sha256(content);

    Resp start = h.post("/v2/" + repo + "/blobs/uploads/", new byte[0]);
    assertEquals(202, start.status(), start::toString);
    String location = start.header("Location");
    assertNotNull(location);
    assertNotNull(start.header("Docker-Upload-UUID"));
    assertEquals("0-0", start.header("Range"));

    Resp c1 = h.patch(location, Arrays.copyOfRange(content, 0, 10), "Content-Range", "0-9", "Content-Type", "application/octet-stream");
    assertEquals(202, c1.status(), c1::toString);
    assertEquals("0-9", c1.header("Range"));
    assertNotNull(c1.header("Location"));
    location = c1.header("Location");

    Resp outOfOrder = h.patch(location, Arrays.copyOfRange(content, 20, 30), "Content-Range", "20-29");
    assertEquals(416, outOfOrder.status(), outOfOrder::toString);
    Resp overlap = h.patch(location, Arrays.copyOfRange(content, 5, 15), "Content-Range", "5-14");
    assertEquals(416, overlap.status(), overlap::toString);

    Resp lengthDisagrees = h.patch(location, Arrays.copyOfRange(content, 10, 15), "Content-Range", "10-19");
    assertEquals(400, lengthDisagrees.status(), lengthDisagrees::toString);
    assertEquals("SIZE_INVALID", lengthDisagrees.code());

    Resp status = h.get(location);
    assertEquals(204, status.status(), status::toString);
    assertEquals("0-9", status.header("Range"), "refused chunks left the session as it was");

    Resp c2 = h.patch(location, Arrays.copyOfRange(content, 10, 20), "Content-Range", "10-19");
    assertEquals(202, c2.status(), c2::toString);
    assertEquals("0-19", c2.header("Range"));

    Resp streamed = h.patch(c2.header("Location"), Arrays.copyOfRange(content, 20, 30)); // no Content-Range: appended
    assertEquals(202, streamed.status(), streamed::toString);
    assertEquals("0-29", streamed.header("Range"));

    Resp put = h.put(streamed.header("Location") + "?digest=" + d, Arrays.copyOfRange(content, 30, 35));
    assertEquals(201, put.status(), put::toString);
    assertEquals(d.toString(), put.header("Docker-Content-Digest"));
    assertEquals("/v2/" + repo + "/blobs/" + d, put.header("Location"));
    assertArrayEquals(content, h.get("/v2/" + repo + "/blobs/" + d).body());

    Resp after = h.patch(location, bytes("late"), "Content-Range", "35-38");
    assertEquals(404, after.status(), after::toString);
    assertEquals("BLOB_UPLOAD_UNKNOWN", after.code());
    assertEquals(List.of(), registry(s).keys("_uploads/" + start.header("Docker-Upload-UUID")));
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void sessionDigestMismatchStoresNothing(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("sessbad");
    byte[] content = random(64, 3);
    String loc = h.startUpload(repo);
    Resp p = h.patch(loc, content);
    assertEquals(202, p.status());
    Digest wrong = Digest.sha256(random(64, 4));
    Resp put = h.put(p.header("Location") + "?digest=" + wrong, new byte[0]);
    assertEquals(400, put.status(), put::toString);
    assertEquals("DIGEST_INVALID", put.code());
    assertEquals(404, h.head("/v2/" + repo + "/blobs/" + wrong).status());
    assertFalse(registry(s).blobStored(wrong));
    assertFalse(registry(s).blobStored(Digest.sha256(content)));
    Resp missing = h.put(p.header("Location"), new byte[0]);
    assertEquals(400, missing.status(), "PUT without ?digest=");
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void cancelledUploadIsGone(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("cancel");
    String loc = h.startUpload(repo);
    String id = loc.substring(loc.lastIndexOf('/') + 1);
    assertEquals(202, h.patch(loc, bytes("some bytes")).status());
    assertFalse(registry(s).keys("_uploads/" + id).isEmpty());
    Resp del = h.delete(loc);
    assertEquals(204, del.status(), del::toString);
    Resp status = h.get(loc);
    assertEquals(404, status.status());
    assertEquals("BLOB_UPLOAD_UNKNOWN", status.code());
    assertEquals(List.of(), registry(s).keys("_uploads/" + id));
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void uploadIdOfAnotherRepositoryIsUnknown(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String a = repo("owner");
    String b = repo("thief");
    h.pushBlob(b, bytes("b exists"));
    String loc = h.startUpload(a);
    String id = loc.substring(loc.lastIndexOf('/') + 1);
    assertEquals(202, h.patch(loc, bytes("0123456789")).status());
    String other = "/v2/" + b + "/blobs/uploads/" + id;
    Digest d = Digest.sha256(bytes("0123456789"));
    for (Resp r : List.of(h.get(other), h.patch(other, bytes("x")), h.put(other + "?digest=" + d, new byte[0]), h.delete(other))) {
      assertEquals(404, r.status(), r::toString);
      assertEquals("BLOB_UPLOAD_UNKNOWN", r.code());
    }
    Resp status = h.get(loc);
    assertEquals(204, status.status());
    assertEquals("0-9", status.header("Range"), "the owner's session is untouched");
    assertEquals(404, h.head("/v2/" + b + "/blobs/" + d).status());
    Resp garbage = h.get("/v2/" + a + "/blobs/uploads/not-a-uuid");
    assertEquals(404, garbage.status());
    assertEquals("BLOB_UPLOAD_UNKNOWN", garbage.code());
  }

  /** A body longer than its Content-Length: only Content-Length bytes are the chunk; the rest is no part of it. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void bodyLongerThanContentLengthIsCutAtContentLength(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("longbody");
    String loc = h.startUpload(repo);
    String answer = RegistryHttp.raw(registry(s).port(), "PATCH " + loc + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/octet-stream\r\nContent-Length: 5\r\nConnection: close", bytes("12345EXTRA-BYTES"));
    assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
    Resp status = h.get(loc);
    assertEquals("0-4", status.header("Range"), "the upload holds exactly the declared 5 bytes");

    byte[] five = bytes("abcde");
    Digest d = Digest.sha256(five);
    String mono = RegistryHttp.raw(registry(s).port(), "POST /v2/" + repo + "/blobs/uploads/?digest=" + d + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close", bytes("abcdefghij"));
    assertTrue(mono.startsWith("HTTP/1.1 201"), mono);
    assertArrayEquals(five, h.get("/v2/" + repo + "/blobs/" + d).body());
  }

  /** A body cut short of its Content-Length (the client went away): nothing is stored. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void bodyShorterThanContentLengthStoresNothing(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("shortbody");
    byte[] full = random(100, 5);
    Digest d = Digest.sha256(full);
    String answer = RegistryHttp.raw(registry(s).port(), "POST /v2/" + repo + "/blobs/uploads/?digest=" + d + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nContent-Length: 100", Arrays.copyOf(full, 50));
    assertFalse(answer.startsWith("HTTP/1.1 201"), answer);
    assertEquals(404, h.head("/v2/" + repo + "/blobs/" + d).status());
    assertFalse(registry(s).blobStored(d));
    assertEquals(List.of(), registry(s).keys("_tmp/"));
  }

  /** An upload begun on one server is continued and finished by another on the same storage. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void secondServerContinuesUpload(Storage s) throws Exception {
    RegistryHttp a = http(s);
    RegistryHttp b = new RegistryHttp(registry(s).startAnother());
    String repo = repo("twoservers");
    byte[] content = random(3000, 6);
    Digest d = Digest.sha256(content);
    String loc = a.startUpload(repo);
    Resp c1 = a.patch(loc, Arrays.copyOfRange(content, 0, 1000), "Content-Range", "0-999");
    assertEquals(202, c1.status(), c1::toString);
    Resp c2 = b.patch(c1.header("Location"), Arrays.copyOfRange(content, 1000, 2000), "Content-Range", "1000-1999");
    assertEquals(202, c2.status(), c2::toString);
    assertEquals("0-1999", c2.header("Range"));
    Resp st = a.get(c2.header("Location"));
    assertEquals("0-1999", st.header("Range"), "the first server sees the second's chunk");
    Resp c3 = a.patch(c2.header("Location"), Arrays.copyOfRange(content, 2000, 2500), "Content-Range", "2000-2499");
    assertEquals(202, c3.status(), c3::toString);
    Resp put = b.put(c3.header("Location") + "?digest=" + d, Arrays.copyOfRange(content, 2500, 3000));
    assertEquals(201, put.status(), put::toString);
    assertArrayEquals(content, a.get("/v2/" + repo + "/blobs/" + d).body());
    assertArrayEquals(content, b.get("/v2/" + repo + "/blobs/" + d).body());
  }

  // ---- cross-repository mount

  @ParameterizedTest
  @EnumSource(Storage.class)
  void crossRepositoryMountAndItsFallbacks(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String from = repo("mountsrc");
    String to = repo("mountdst");
    String empty = repo("mountempty");
    h.pushBlob(empty, bytes("unrelated"));
    byte[] content = bytes("mount me " + s);
    Digest d = h.pushBlob(from, content);

    Resp before = h.get("/v2/" + to + "/blobs/" + d);
    assertEquals(404, before.status(), "a blob of one repository is not readable through another");
    assertEquals("BLOB_UNKNOWN", before.code());
    assertEquals(404, h.head("/v2/" + to + "/blobs/" + d).status());
    assertEquals(404, h.get("/v2/" + to + "/blobs/" + d, "Range", "bytes=0-3").status());

    Resp lacking = h.post("/v2/" + to + "/blobs/uploads/?mount=" + d + "&from=" + empty, new byte[0]);
    assertEquals(202, lacking.status(), lacking::toString);
    assertNotNull(lacking.header("Docker-Upload-UUID"));
    assertTrue(lacking.header("Location").startsWith("/v2/" + to + "/blobs/uploads/"), lacking::toString);
    assertNull(lacking.header("Docker-Content-Digest"));
    assertEquals(204, h.get(lacking.header("Location")).status(), "the fallback is a usable session");

    Resp noFrom = h.post("/v2/" + to + "/blobs/uploads/?mount=" + d, new byte[0]);
    assertEquals(202, noFrom.status(), noFrom::toString);
    Resp badFrom = h.post("/v2/" + to + "/blobs/uploads/?mount=" + d + "&from=../" + from, new byte[0]);
    assertEquals(202, badFrom.status(), badFrom::toString);
    assertEquals(404, h.head("/v2/" + to + "/blobs/" + d).status());

    Resp mounted = h.post("/v2/" + to + "/blobs/uploads/?mount=" + d + "&from=" + from, new byte[0]);
    assertEquals(201, mounted.status(), mounted::toString);
    assertEquals(d.toString(), mounted.header("Docker-Content-Digest"));
    assertEquals("/v2/" + to + "/blobs/" + d, mounted.header("Location"));
    assertArrayEquals(content, h.get("/v2/" + to + "/blobs/" + d).body());
  }

  // ---- manifests

  @ParameterizedTest
  @EnumSource(Storage.class)
  void manifestByTagAndDigestServedExactly(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("manifest");
    Image img = h.pushImage(repo, "v1", "layer one", "layer two");
    for (String ref : List.of("v1", img.digest().toString())) {
      Resp get = h.get("/v2/" + repo + "/manifests/" + ref, "Accept", OCI_MANIFEST);
      assertEquals(200, get.status(), get::toString);
      assertArrayEquals(img.manifest(), get.body());
      assertEquals(OCI_MANIFEST, get.header("Content-Type"));
      assertEquals(img.digest().toString(), get.header("Docker-Content-Digest"));
      Resp head = h.head("/v2/" + repo + "/manifests/" + ref, "Accept", OCI_MANIFEST);
      assertEquals(200, head.status());
      assertEquals(Integer.toString(img.manifest().length), head.header("Content-Length"));
      assertEquals(img.digest().toString(), head.header("Docker-Content-Digest"));
    }
    // by digest with pretty-printed bytes: served as pushed, under their own digest
    byte[] pretty = new String(img.manifest(), StandardCharsets.UTF_8).replace(",", ",\n  ").getBytes(StandardCharsets.UTF_8);
    Digest pd = Digest.sha256(pretty);
    Resp put = h.put("/v2/" + repo + "/manifests/" + pd, pretty, "Content-Type", OCI_MANIFEST);
    assertEquals(201, put.status(), put::toString);
    assertEquals(pd.toString(), put.header("Docker-Content-Digest"));
    assertArrayEquals(pretty, h.get("/v2/" + repo + "/manifests/" + pd).body());
    Resp unknown = h.get("/v2/" + repo + "/manifests/nope");
    assertEquals(404, unknown.status());
    assertEquals("MANIFEST_UNKNOWN", unknown.code());
    Resp elsewhere = h.get("/v2/" + repo("other") + "/manifests/" + img.digest());
    assertEquals(404, elsewhere.status(), "a manifest of one repository is unknown in another");
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void manifestWithWrongDigestIsRefused(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("wrongdigest");
    Image img = h.pushImage(repo, "v1", "l");
    Digest wrong = Digest.sha256(bytes("not the manifest"));
    Resp r = h.put("/v2/" + repo + "/manifests/" + wrong, img.manifest(), "Content-Type", OCI_MANIFEST);
    assertEquals(400, r.status(), r::toString);
    assertEquals("DIGEST_INVALID", r.code());
    assertEquals(404, h.get("/v2/" + repo + "/manifests/" + wrong).status());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void manifestReferencingMissingContentIsRefused(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("missing");
    String other = repo("elsewhere");
    byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    Digest c = h.pushBlob(repo, config);
    byte[] layer = bytes("only in another repository " + s);
    Digest foreign = h.pushBlob(other, layer);
    Digest absent = Digest.sha256(bytes("absent layer"));

    byte[] missingLayer = RegistryHttp.manifest(OCI_MANIFEST, OCI_CONFIG, c, config.length, List.of(Map.entry(absent, 12)), null, null);
    byte[] foreignLayer = RegistryHttp.manifest(OCI_MANIFEST, OCI_CONFIG, c, config.length, List.of(Map.entry(foreign, layer.length)), null, null);
    byte[] missingConfig = RegistryHttp.manifest(OCI_MANIFEST, OCI_CONFIG, absent, 12, List.of(), null, null);
    byte[] wrongSize = RegistryHttp.manifest(OCI_MANIFEST, OCI_CONFIG, c, config.length + 1, List.of(), null, null);
    byte[] missingChild = RegistryHttp.index(List.of(Map.entry(absent, 100)));
    for (byte[] m : List.of(missingLayer, foreignLayer, missingConfig, wrongSize, missingChild)) {
      String type = m == missingChild ? OCI_INDEX : OCI_MANIFEST;
      Resp r = h.put("/v2/" + repo + "/manifests/latest", m, "Content-Type", type);
      assertEquals(400, r.status(), r::toString);
      assertEquals("MANIFEST_BLOB_UNKNOWN", r.code(), r::toString);
    }
    assertEquals(404, h.get("/v2/" + repo + "/manifests/latest").status());
    // a child manifest of another repository is unknown here too
    Image child = h.pushImage(other, "child", "x");
    Resp r = h.put("/v2/" + repo + "/manifests/latest", RegistryHttp.index(List.of(Map.entry(child.digest(), child.manifest().length))),
        "Content-Type", OCI_INDEX);
    assertEquals("MANIFEST_BLOB_UNKNOWN", r.code(), r::toString);
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void invalidAndAmbiguousManifestsAreRefused(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("invalid");
    Image img = h.pushImage(repo, "base", "l");
    String m = new String(img.manifest(), StandardCharsets.UTF_8);
    String cfg = m.substring(m.indexOf("\"config\""), m.indexOf("}", m.indexOf("\"config\"")) + 1);
    List<String> bad = List.of(
        "not json",
        "{\"schemaVersion\":2,",
        "[]",
        // duplicate keys: two parsers could read two different manifests
        m.replaceFirst("\\{", "{\"layers\":[],"),
        // a manifest that is an index too (CVE-2021-41190)
        m.replaceFirst("\\{", "{\"manifests\":[],"),
        // an index with config and layers
        "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[]," + cfg + ",\"layers\":[]}",
        "{\"schemaVersion\":1,\"mediaType\":\"" + OCI_MANIFEST + "\"," + cfg + ",\"layers\":[]}");
    for (String b : bad) {
      Resp r = h.put("/v2/" + repo + "/manifests/bad", bytes(b), "Content-Type", b.contains(OCI_INDEX) ? OCI_INDEX : OCI_MANIFEST);
      assertEquals(400, r.status(), () -> b + " -> " + r);
      assertEquals("MANIFEST_INVALID", r.code(), () -> b + " -> " + r);
    }
    // declared type disagrees with the document's
    Resp disagree = h.put("/v2/" + repo + "/manifests/bad", img.manifest(), "Content-Type", OCI_INDEX);
    assertEquals("MANIFEST_INVALID", disagree.code(), disagree::toString);
    assertEquals(404, h.get("/v2/" + repo + "/manifests/bad").status(), "nothing was tagged");
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void manifestOverFourMebibytesIsRefused(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("huge");
    Image img = h.pushImage(repo, "base", "l");
    String m = new String(img.manifest(), StandardCharsets.UTF_8);
    String big = m.substring(0, m.length() - 1) + ",\"annotations\":{\"x\":\"" + "a".repeat(4 << 20) + "\"}}";
    Resp r = h.put("/v2/" + repo + "/manifests/big", bytes(big), "Content-Type", OCI_MANIFEST);
    assertTrue(r.status() == 413 || r.status() == 400, r::toString);
    assertEquals("MANIFEST_INVALID", r.code());
    assertEquals(404, h.get("/v2/" + repo + "/manifests/big").status());
    assertFalse(registry(s).blobStored(Digest.sha256(bytes(big))));
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void ociManifestOnlyToClientsThatAcceptIt(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("accept");
    Image img = h.pushImage(repo, "v1", "l");
    String path = "/v2/" + repo + "/manifests/v1";
    Resp dockerOnly = h.get(path, "Accept", RegistryHttp.DOCKER_MANIFEST);
    assertEquals(404, dockerOnly.status(), dockerOnly::toString);
    assertEquals("MANIFEST_UNKNOWN", dockerOnly.code());
    assertEquals(200, h.get(path, "Accept", RegistryHttp.DOCKER_MANIFEST + ", " + OCI_MANIFEST).status());
    assertEquals(200, h.get(path, "Accept", "*/*").status());
    assertEquals(200, h.get(path).status(), "no Accept at all");
    // Docker and containerd send one Accept header line per type
    Resp lines = h.get(path, "Accept", RegistryHttp.DOCKER_MANIFEST, "Accept", OCI_INDEX, "Accept", OCI_MANIFEST);
    assertEquals(200, lines.status(), () -> "OCI listed on a later Accept line: " + lines);
    assertArrayEquals(img.manifest(), lines.body());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void dockerManifestServedWhateverTheAccept(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("docker");
    byte[] config = bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    Digest c = h.pushBlob(repo, config);
    byte[] m = RegistryHttp.manifest(RegistryHttp.DOCKER_MANIFEST, RegistryHttp.DOCKER_CONFIG, c, config.length, List.of(), null, null);
    h.pushManifest(repo, "v1", RegistryHttp.DOCKER_MANIFEST, m);
    Resp r = h.get("/v2/" + repo + "/manifests/v1", "Accept", OCI_MANIFEST);
    assertEquals(200, r.status(), r::toString);
    assertEquals(RegistryHttp.DOCKER_MANIFEST, r.header("Content-Type"));
    assertArrayEquals(m, r.body());
  }

  // ---- discovery

  @ParameterizedTest
  @EnumSource(Storage.class)
  void tagsListPagination(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("tags");
    Image img = h.pushImage(repo, "t1", "l");
    for (String t : List.of("t2", "t3", "t4", "t5")) h.pushManifest(repo, t, OCI_MANIFEST, img.manifest());

    Resp all = h.get("/v2/" + repo + "/tags/list");
    assertEquals(200, all.status());
    assertEquals(repo, all.json().path("name").asText());
    assertEquals(List.of("t1", "t2", "t3", "t4", "t5"), texts(all.json().path("tags")));
    assertNull(all.header("Link"));

    List<String> seen = new ArrayList<>();
    String next = "/v2/" + repo + "/tags/list?n=2";
    for (int page = 0; next != null && page < 10; page++) {
      Resp r = h.get(next);
      assertEquals(200, r.status(), r::toString);
      List<String> tags = texts(r.json().path("tags"));
      assertTrue(tags.size() <= 2);
      seen.addAll(tags);
      String link = r.header("Link");
      next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
      if (link != null) assertTrue(link.endsWith("rel=\"next\""), link);
    }
    assertEquals(List.of("t1", "t2", "t3", "t4", "t5"), seen);

    assertEquals(List.of("t4", "t5"), texts(h.get("/v2/" + repo + "/tags/list?last=t3").json().path("tags")));
    assertEquals(List.of("t4"), texts(h.get("/v2/" + repo + "/tags/list?n=1&last=t3").json().path("tags")));
    assertEquals(List.of(), texts(h.get("/v2/" + repo + "/tags/list?n=0").json().path("tags")));
    for (String n : List.of("-1", "abc", "1.5")) {
      Resp bad = h.get("/v2/" + repo + "/tags/list?n=" + n);
      assertEquals(400, bad.status(), bad::toString);
      assertEquals("PAGINATION_NUMBER_INVALID", bad.code());
    }
    Resp huge = h.get("/v2/" + repo + "/tags/list?n=2147483647"); // CVE-2023-2253: no allocation by n
    assertTrue(huge.status() == 200 || huge.status() == 400, huge::toString);
    Resp unknown = h.get("/v2/" + repo("nosuch") + "/tags/list");
    assertEquals(404, unknown.status());
    assertEquals("NAME_UNKNOWN", unknown.code());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void catalogListsAndPages(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String a = "cat-" + s.name().toLowerCase(java.util.Locale.ROOT) + "/a";
    String b = "cat-" + s.name().toLowerCase(java.util.Locale.ROOT) + "/b";
    h.pushImage(a, "v1", "l");
    h.pushImage(b, "v1", "l");
    List<String> all = texts(h.get("/v2/_catalog").json().path("repositories"));
    assertTrue(all.containsAll(List.of(a, b)), all::toString);
    assertEquals(all.stream().sorted().toList(), all, "sorted");
    Resp page = h.get("/v2/_catalog?n=1&last=" + a);
    assertEquals(List.of(b), texts(page.json().path("repositories")));
    Resp first = h.get("/v2/_catalog?n=1");
    assertNotNull(first.header("Link"), first::toString);
    assertEquals(400, h.get("/v2/_catalog?n=x").status());
    Resp huge = h.get("/v2/_catalog?n=2147483647");
    assertTrue(huge.status() == 200 || huge.status() == 400, huge::toString);
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void referrersWithSubjectAndArtifactTypeFilter(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("referrers");
    Image subject = h.pushImage(repo, "v1", "l");
    byte[] emptyConfig = bytes("{}");
    Digest e = h.pushBlob(repo, emptyConfig);
    Object[] subj = {subject.digest(), subject.manifest().length, OCI_MANIFEST};
    byte[] sbom = RegistryHttp.manifest(OCI_MANIFEST, "application/vnd.oci.empty.v1+json", e, 2, List.of(), subj, "application/vnd.example.sbom");
    byte[] sig = RegistryHttp.manifest(OCI_MANIFEST, "application/vnd.example.sig.config", e, 2, List.of(), subj, null);
    Resp put = h.put("/v2/" + repo + "/manifests/" + Digest.sha256(sbom), sbom, "Content-Type", OCI_MANIFEST);
    assertEquals(201, put.status(), put::toString);
    assertEquals(subject.digest().toString(), put.header("OCI-Subject"));
    h.pushManifest(repo, Digest.sha256(sig).toString(), OCI_MANIFEST, sig);

    Resp all = h.get("/v2/" + repo + "/referrers/" + subject.digest());
    assertEquals(200, all.status(), all::toString);
    assertEquals(OCI_INDEX, all.header("Content-Type"));
    JsonNode ms = all.json().path("manifests");
    assertEquals(2, ms.size(), all::toString);
    List<String> types = new ArrayList<>();
    ms.forEach(n -> types.add(n.path("artifactType").asText()));
    types.sort(null);
    assertEquals(List.of("application/vnd.example.sbom", "application/vnd.example.sig.config"), types);
    for (JsonNode n : ms) {
      Digest d = Digest.parse(n.path("digest").asText());
      assertEquals(d.equals(Digest.sha256(sbom)) ? sbom.length : sig.length, n.path("size").asInt());
    }
    assertNull(all.header("OCI-Filters-Applied"));

    Resp filtered = h.get("/v2/" + repo + "/referrers/" + subject.digest() + "?artifactType=application/vnd.example.sbom");
    assertEquals(200, filtered.status());
    assertEquals("artifactType", filtered.header("OCI-Filters-Applied"));
    assertEquals(1, filtered.json().path("manifests").size());
    assertEquals(Digest.sha256(sbom).toString(), filtered.json().path("manifests").get(0).path("digest").asText());

    Resp none = h.get("/v2/" + repo + "/referrers/" + Digest.sha256(bytes("no such subject")));
    assertEquals(200, none.status());
    assertEquals(0, none.json().path("manifests").size());
    assertEquals(400, h.get("/v2/" + repo + "/referrers/sha256:zz").status());
  }

  // ---- content management

  @ParameterizedTest
  @EnumSource(Storage.class)
  void deleteManifestByTagAndByDigest(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String repo = repo("delete");
    Image img = h.pushImage(repo, "v1", "l");
    h.pushManifest(repo, "v2", OCI_MANIFEST, img.manifest());
    Resp byTag = h.delete("/v2/" + repo + "/manifests/v1");
    assertEquals(202, byTag.status(), byTag::toString);
    assertEquals(404, h.get("/v2/" + repo + "/manifests/v1").status());
    assertEquals(200, h.get("/v2/" + repo + "/manifests/" + img.digest()).status(), "deleting a tag keeps the manifest");
    assertEquals(200, h.get("/v2/" + repo + "/manifests/v2").status());

    Resp byDigest = h.delete("/v2/" + repo + "/manifests/" + img.digest());
    assertEquals(202, byDigest.status(), byDigest::toString);
    Resp gone = h.get("/v2/" + repo + "/manifests/" + img.digest());
    assertEquals(404, gone.status());
    assertEquals("MANIFEST_UNKNOWN", gone.code());
    assertEquals(404, h.get("/v2/" + repo + "/manifests/v2").status(), "tags of a deleted manifest go with it");
    Resp again = h.delete("/v2/" + repo + "/manifests/" + img.digest());
    assertEquals(404, again.status());
    assertEquals("MANIFEST_UNKNOWN", again.code());
    assertEquals(404, h.delete("/v2/" + repo + "/manifests/nosuchtag").status());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void deleteBlobUnlinksItHereOnly(Storage s) throws Exception {
    RegistryHttp h = http(s);
    String a = repo("delblob");
    String b = repo("keepblob");
    byte[] content = bytes("shared " + s);
    Digest d = h.pushBlob(a, content);
    h.pushBlob(b, content);
    assertEquals(202, h.delete("/v2/" + a + "/blobs/" + d).status());
    assertEquals(404, h.head("/v2/" + a + "/blobs/" + d).status());
    assertEquals(200, h.head("/v2/" + b + "/blobs/" + d).status());
    Resp again = h.delete("/v2/" + a + "/blobs/" + d);
    assertEquals(404, again.status());
    assertEquals("BLOB_UNKNOWN", again.code());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void readOnlyServerRefusesWrites(Storage s) throws Exception {
    RegistryHttp rw = http(s);
    String repo = repo("readonly");
    Image img = rw.pushImage(repo, "v1", "l");
    String loc = rw.startUpload(repo);
    RegistryHttp ro = new RegistryHttp(registry(s).startAnother(c -> c.withReadOnly(true)));
    assertEquals(200, ro.get("/v2/").status());
    assertArrayEquals(img.manifest(), ro.get("/v2/" + repo + "/manifests/v1").body());
    assertEquals(200, ro.get("/v2/" + repo + "/blobs/" + img.layers().getFirst()).status());
    assertEquals(200, ro.get("/v2/" + repo + "/tags/list").status());
    Digest d = Digest.sha256(bytes("ro"));
    List<Resp> writes = List.of(
        ro.post("/v2/" + repo + "/blobs/uploads/", new byte[0]),
        ro.post("/v2/" + repo + "/blobs/uploads/?digest=" + d, bytes("ro")),
        ro.post("/v2/" + repo + "/blobs/uploads/?mount=" + img.layers().getFirst() + "&from=" + repo, new byte[0]),
        ro.patch(loc, bytes("x")),
        ro.put(loc + "?digest=" + d, bytes("ro")),
        ro.delete(loc),
        ro.put("/v2/" + repo + "/manifests/v2", img.manifest(), "Content-Type", OCI_MANIFEST),
        ro.delete("/v2/" + repo + "/manifests/v1"),
        ro.delete("/v2/" + repo + "/manifests/" + img.digest()),
        ro.delete("/v2/" + repo + "/blobs/" + img.layers().getFirst()));
    for (Resp r : writes) {
      assertEquals(405, r.status(), r::toString);
      assertEquals("UNSUPPORTED", r.code());
    }
    assertEquals(200, rw.get("/v2/" + repo + "/manifests/v1").status());
    assertEquals(404, rw.get("/v2/" + repo + "/manifests/v2").status());
    assertEquals(204, rw.get(loc).status(), "the session is still there");
  }

  /** With redirects on (S3), a blob GET is a 307 to a presigned URL that serves the same bytes. */
  @org.junit.jupiter.api.Test
  void s3RedirectServesTheSameBytes() throws Exception {
    RegistryFixture f = registry(Storage.S3);
    RegistryHttp h = http(Storage.S3);
    String repo = repo("redirect");
    byte[] content = random(1000, 7);
    Digest d = h.pushBlob(repo, content);
    int port = f.startAnother(c -> c.withS3(new RegistryConfig.S3(c.s3().bucket(), c.s3().prefix(), c.s3().endpoint(),
        c.s3().region(), true, c.s3().accessKey(), c.s3().secretKey(), true)));
    RegistryHttp r = new RegistryHttp(port);
    Resp get = r.get("/v2/" + repo + "/blobs/" + d);
    assertEquals(307, get.status(), get::toString);
    assertEquals(d.toString(), get.header("Docker-Content-Digest"));
    String to = get.header("Location");
    assertTrue(to.startsWith(S3ProxyFixture.shared().endpoint().toString()), to);
    Resp fetched = r.get(to);
    assertEquals(200, fetched.status(), fetched::toString);
    assertArrayEquals(content, fetched.body());
    assertEquals(200, r.head("/v2/" + repo + "/blobs/" + d).status());
    assertEquals(404, r.get("/v2/" + repo("other") + "/blobs/" + d).status(), "no redirect for a blob the repository lacks");
    assertNotEquals(0, content.length);
  }
}
