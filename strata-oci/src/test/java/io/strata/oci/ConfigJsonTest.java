package io.strata.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON shape of image configs: Docker's field names, omitted empties, round trips. */
class ConfigJsonTest {
  private static final Digest DIFF = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));

  static ContainerConfig everyField() {
    return ContainerConfig.empty()
        .withUser("1000:1000")
        .withEnv(List.of("PATH=/usr/bin:/bin", "EMPTY="))
        .withEntrypoint(List.of("/bin/sh", "-c"))
        .withCmd(List.of("echo hi"))
        .withWorkingDir("/srv")
        .withExposedPorts(Map.of("80/tcp", Map.of(), "53/udp", Map.of()))
        .withVolumes(Map.of("/data", Map.of()))
        .withLabels(Map.of("b", "2", "a", "1"))
        .withStopSignal("SIGTERM")
        .withHealthcheck(new Healthcheck(List.of("CMD-SHELL", "true"), 30_000_000_000L, 5_000_000_000L,
            1_000_000_000L, 2_000_000_000L, 3))
        .withOnBuild(List.of("RUN make"))
        .withShell(List.of("/bin/bash", "-c"))
        .withArgsEscaped(true);
  }

  @Test
  void everyContainerConfigFieldUsesDockersName() {
    ImageConfig config = ImageConfig.of(Platform.of("linux", "amd64", null))
        .withCreated("2024-01-02T03:04:05.123456789Z")
        .withAuthor("someone")
        .withConfig(everyField())
        .withLayer(DIFF, History.of("2024-01-02T03:04:05Z", "/bin/sh -c make", null, false))
        .withHistoryEntry(History.of("2024-01-02T03:04:06Z", "LABEL a=1", "meta", true));
    JsonNode tree = Json.readTree(Json.write(config), "test");
    JsonNode c = tree.get("config");
    for (String name : List.of("User", "Env", "Entrypoint", "Cmd", "WorkingDir", "ExposedPorts", "Volumes",
        "Labels", "StopSignal", "Healthcheck", "OnBuild", "Shell", "ArgsEscaped")) {
      assertTrue(c.has(name), "config." + name + " missing in " + c);
    }
    assertEquals(13, c.size(), c.toString());
    assertEquals("{\"80/tcp\":{},\"53/udp\":{}}".length(), c.get("ExposedPorts").toString().length());
    assertEquals("{\"a\":\"1\",\"b\":\"2\"}", c.get("Labels").toString(), "maps are written sorted, like Go");
    JsonNode h = c.get("Healthcheck");
    assertEquals(30_000_000_000L, h.get("Interval").longValue());
    assertEquals(2_000_000_000L, h.get("StartInterval").longValue());
    assertEquals(3, h.get("Retries").intValue());
    assertEquals("CMD-SHELL", h.get("Test").get(0).textValue());
    assertEquals(DIFF.toString(), tree.get("rootfs").get("diff_ids").get(0).textValue());
    assertEquals("layers", tree.get("rootfs").get("type").textValue());
    assertFalse(tree.get("history").get(0).has("empty_layer"), "empty_layer omitted when false");
    assertTrue(tree.get("history").get(1).get("empty_layer").booleanValue());
    assertTrue(tree.get("history").get(0).has("created_by"));

    Parsed<ImageConfig> written = Manifests.of(config, MediaTypes.OCI_CONFIG);
    Parsed<ImageConfig> reread = Manifests.parseConfig(written.raw());
    assertEquals(config, reread.value());
    assertEquals(written.digest(), reread.digest());
    assertEquals(Instant.parse("2024-01-02T03:04:05.123456789Z"), reread.value().createdInstant());
  }

  @Test
  void emptyOptionalFieldsAreNotWritten() {
    ImageConfig config = ImageConfig.of(Platform.of("linux", "arm64", "v8"))
        .withConfig(ContainerConfig.empty().withEnv(List.of()).withLabels(Map.of()).withUser(""));
    String json = new String(Json.write(config), StandardCharsets.UTF_8);
    assertEquals("{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\",\"config\":{},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", json);
  }

  @Test
  void descriptorOmitsAbsentFieldsButKeepsZeroSize() {
    Descriptor d = Descriptor.of(MediaTypes.OCI_EMPTY, Digest.sha256("{}".getBytes()), 2);
    assertEquals("{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + d.digest() + "\",\"size\":2}",
        new String(Json.write(d), StandardCharsets.UTF_8));
    Descriptor zero = Descriptor.of("application/octet-stream", Digest.sha256(new byte[0]), 0);
    assertTrue(new String(Json.write(zero), StandardCharsets.UTF_8).contains("\"size\":0"));
  }

  @Test
  void platformUsesDottedNames() {
    Platform p = new Platform("amd64", "windows", "10.0.17763", List.of("win32k"), null);
    String json = new String(Json.write(p), StandardCharsets.UTF_8);
    assertEquals("{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.17763\",\"os.features\":[\"win32k\"]}", json);
    assertEquals(p, Json.read(json.getBytes(StandardCharsets.UTF_8), Platform.class, "platform"));
  }

  @Test
  void currentPlatformIsLinuxWithGoArch() {
    Platform p = Platform.current();
    assertEquals("linux", p.os());
    assertFalse(p.architecture().isEmpty());
    assertFalse(p.architecture().equals("x86_64") || p.architecture().equals("aarch64"), p.architecture());
  }

  @Test
  void createdInstantIsNullWhenAbsentOrUnparsable() {
    ImageConfig c = ImageConfig.of(Platform.current());
    assertNull(c.createdInstant());
    assertNull(c.withCreated("yesterday").createdInstant());
    assertEquals(Instant.parse("2016-10-10T23:04:00.821781828Z"),
        c.withCreated("2016-10-10T23:04:00.821781828Z").createdInstant());
    assertEquals(Instant.parse("2016-10-10T21:04:00Z"), c.withCreated("2016-10-10T23:04:00+02:00").createdInstant());
  }

  @Test
  void duplicateKeysAreRejected() {
    // S25 / CVE-2014-8179: the bytes that are verified must be the bytes that are parsed
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"os\":\"windows\","
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
    var e = assertThrows(InvalidArgumentException.class,
        () -> Manifests.parseConfig(config.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("Duplicate field 'os'"), e.getMessage());
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"config\":" + descriptorJson() + ",\"layers\":[" + descriptorJson() + "],\"layers\":[]}";
    assertThrows(InvalidArgumentException.class,
        () -> Manifests.parse(manifest.getBytes(StandardCharsets.UTF_8), null));
    assertThrows(InvalidArgumentException.class,
        () -> OciValidator.validate(manifest.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST));
  }

  @Test
  void nestedFaultsAreFoundWhenOsIsValid() {
    // the upstream vectors 04-06 also carry "os": 123; these isolate the fault they are named after
    String base = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},";
    for (String fault : List.of("\"history\":\"should be an array\"}", "\"config\":{\"Env\":[7353]}}",
        "\"config\":{\"Volumes\":[\"/a\"]}}", "\"config\":{\"Cmd\":\"sh\"}}", "\"created\":\"yesterday\"}")) {
      byte[] json = (base + fault).getBytes(StandardCharsets.UTF_8);
      assertThrows(InvalidArgumentException.class, () -> OciValidator.validate(json, MediaTypes.OCI_CONFIG), fault);
    }
    byte[] nulls = (base + "\"config\":{\"Cmd\":null,\"Volumes\":null,\"Env\":null,\"OnBuild\":null}}")
        .getBytes(StandardCharsets.UTF_8);
    OciValidator.validate(nulls, MediaTypes.DOCKER_CONFIG); // Docker wrote nulls for years
    assertNull(Manifests.parseConfig(nulls).value().config().cmd());
  }

  @Test
  void bindingDoesNotCoerceScalars() {
    String d = Digest.sha256(new byte[0]).toString();
    Json.read(utf8("{\"mediaType\":\"a/b\",\"digest\":\"" + d + "\",\"size\":7}"), Descriptor.class, "d");
    for (String size : List.of("\"7\"", "7.5")) {
      byte[] json = utf8("{\"mediaType\":\"a/b\",\"digest\":\"" + d + "\",\"size\":" + size + "}");
      assertThrows(InvalidArgumentException.class, () -> Json.read(json, Descriptor.class, "d"), size);
    }
    assertThrows(InvalidArgumentException.class,
        () -> Json.read(utf8("{\"architecture\":\"amd64\",\"os\":123}"), Platform.class, "p"));
    assertThrows(InvalidArgumentException.class,
        () -> Json.read(utf8("{\"Env\":[\"A=1\",null]}"), ContainerConfig.class, "c"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String descriptorJson() {
    return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
        + Digest.sha256(new byte[0]) + "\",\"size\":0}";
  }
}
