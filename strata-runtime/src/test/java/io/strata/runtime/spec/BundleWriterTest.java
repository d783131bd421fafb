package io.strata.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleWriterTest {
  @TempDir Path tmp;

  static ContainerSettings settings(String workdir, NetworkMode network, Map<String, Map<String, Object>> volumes) {
    return new ContainerSettings(List.of("/bin/sh", "-c", "true"), List.of("A=1"), workdir, "", "box", false, false,
        network, List.of(), volumes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/proc/self/fd/3", "/proc/self/fd/7", "/proc/self/fd/10", "/proc/1/cwd",
      "/proc/thread-self/cwd", "proc/self/fd/7", "/tmp/../proc/self/fd/8", "/proc"})
  void aWorkdirInProcIsRefused(String workdir) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> BundleWriter.validate(settings(workdir, NetworkMode.NONE, Map.of())));
    assertTrue(e.getMessage().contains("inside /proc"), e.getMessage()); // S29, CVE-2024-21626
  }

  @Test
  void aVolumeThatClimbsIsRefused() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> BundleWriter.validate(
        settings("/", NetworkMode.NONE, Map.of("/../../../../etc/kubernetes", Map.of())))); // S31
    assertTrue(e.getMessage().contains(".."), e.getMessage());
  }

  @Test
  void configIsDockersDefaults() throws IOException {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Path config = BundleWriter.write(tmp.resolve("bundle"), rootfs, settings("work", NetworkMode.NONE, Map.of()),
        new ResolvedUser(1000, 1000, List.of(50L), "/home/u"));
    JsonNode spec = Json.mapper().readTree(config.toFile());
    assertEquals("/work", spec.at("/process/cwd").asText(), "a relative workdir is joined to /");
    assertEquals(1000, spec.at("/process/user/uid").asInt());
    assertEquals(50, spec.at("/process/user/additionalGids/0").asInt());
    assertEquals(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=box", "A=1",
        "HOME=/home/u"), strings(spec.at("/process/env")));
    assertEquals(BundleWriter.CAPABILITIES, strings(spec.at("/process/capabilities/bounding")));
    assertEquals(BundleWriter.MASKED, strings(spec.at("/linux/maskedPaths")));
    List<String> ns = new ArrayList<>();
    spec.at("/linux/namespaces").forEach(n -> ns.add(n.path("type").asText()));
    assertEquals(List.of("pid", "ipc", "uts", "mount", "network"), ns);
    assertFalse(spec.has("annotations"), "image labels never reach the runtime (S33)");
    assertEquals("box\n", Files.readString(tmp.resolve("bundle/hostname")));
    assertTrue(Files.readString(tmp.resolve("bundle/hosts")).contains("127.0.1.1\tbox"));
  }

  @Test
  void hostNetworkKeepsTheHostsNamespace() throws IOException {
    Path config = BundleWriter.write(tmp.resolve("b"), tmp, settings("/", NetworkMode.HOST, Map.of()),
        new ResolvedUser(0, 0, List.of(), "/root"));
    JsonNode spec = Json.mapper().readTree(config.toFile());
    spec.at("/linux/namespaces").forEach(n -> assertFalse(n.path("type").asText().equals("network")));
  }

  @Test
  void bindMountsAreCheckedLikeDockers() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("data"));
    assertEquals(new BindMount(src, "/data", true), BindMount.parse(src + ":/data/./:ro"));
    assertThrows(InvalidArgumentException.class, () -> BindMount.parse("named:/data"));
    assertThrows(InvalidArgumentException.class, () -> BindMount.parse(src + ":/a/../../etc"));
    assertThrows(InvalidArgumentException.class, () -> BindMount.parse(tmp.resolve("missing") + ":/x"));
    assertThrows(InvalidArgumentException.class, () -> NetworkMode.parse("bridge"));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
