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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleWriterTest {
  static final ResolvedUser ROOT = new ResolvedUser(0, 0, List.of(), "/root");

  @TempDir Path tmp;
  Path rootfs;

  @BeforeEach
  void rootfs() throws IOException {
    rootfs = Files.createDirectories(tmp.resolve("rootfs"));
  }

  static ContainerSettings settings(String workdir, NetworkMode network, Map<String, Map<String, Object>> volumes) {
    return new ContainerSettings(List.of("/bin/sh", "-c", "true"), List.of("A=1"), workdir, "", "box", false, false,
        network, List.of(), List.of(), volumes);
  }

  static ContainerSettings withEnv(List<String> env, boolean tty) {
    return new ContainerSettings(List.of("/bin/sh"), env, "", "", "box", false, tty, NetworkMode.NONE, List.of(), List.of(), Map.of());
  }

  static ContainerSettings withBinds(boolean readOnlyRootfs, List<BindMount> binds) {
    return new ContainerSettings(List.of("/bin/sh"), List.of(), "", "", "box", readOnlyRootfs, false, NetworkMode.NONE,
        binds, List.of(), Map.of());
  }

  JsonNode written(ContainerSettings s, ResolvedUser user) throws IOException {
    return Json.mapper().readTree(BundleWriter.write(tmp.resolve("bundle"), rootfs, s, user).toFile());
  }

  @ParameterizedTest // S29, CVE-2024-21626
  @ValueSource(strings = {"/proc/self/fd/3", "/proc/self/fd/4", "/proc/self/fd/5", "/proc/self/fd/6", "/proc/self/fd/7",
      "/proc/self/fd/8", "/proc/self/fd/9", "/proc/self/fd/10", "/proc/1/cwd", "/proc/thread-self/cwd",
      "proc/self/fd/7", "/tmp/../proc/self/fd/8", "../../proc/self/cwd", "//proc/./self/fd/7", "/proc"})
  void aWorkdirInProcIsRefused(String workdir) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> BundleWriter.validate(settings(workdir, NetworkMode.NONE, Map.of())));
    assertEquals("invalid working directory " + workdir + ": inside /proc", e.getMessage());
    assertThrows(InvalidArgumentException.class,
        () -> BundleWriter.write(tmp.resolve("bundle"), rootfs, settings(workdir, NetworkMode.NONE, Map.of()), ROOT));
    assertFalse(Files.exists(tmp.resolve("bundle")), "nothing is written for a refused config");
  }

  @Test
  void aWorkdirSymlinkedIntoProcIsRefused() throws IOException {
    Files.createSymbolicLink(rootfs.resolve("work"), Path.of("/proc/self/fd/7"));
    Files.createSymbolicLink(rootfs.resolve("rel"), Path.of("../../../proc/self/cwd"));
    for (String w : List.of("/work", "rel", "/work/x")) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> BundleWriter.write(tmp.resolve("bundle"), rootfs, settings(w, NetworkMode.NONE, Map.of()), ROOT));
      assertTrue(e.getMessage().endsWith(": inside /proc"), e.getMessage());
    }
    assertEquals("/processes", written(settings("/processes", NetworkMode.NONE, Map.of()), ROOT).at("/process/cwd").asText());
  }

  @ParameterizedTest // S31, CVE-2022-23648
  @ValueSource(strings = {"/../../../../etc/kubernetes", "/data/../../etc", "/data/..", "data", "../etc"})
  void aVolumeThatClimbsOrIsRelativeIsRefused(String volume) {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> BundleWriter.validate(settings("/", NetworkMode.NONE, Map.of(volume, Map.of()))));
    assertTrue(e.getMessage().startsWith("invalid volume path " + volume + ": "), e.getMessage());
    BundleWriter.validate(settings("/", NetworkMode.NONE, Map.of("/data/./x//", Map.of())));
  }

  @Test // S33
  void imageLabelsNeverReachTheSpec() throws IOException {
    // ContainerSettings has no labels at all, so `binary:///bin/sh` or `$(touch /tmp/pwn)` labels cannot get in
    assertFalse(written(settings("/", NetworkMode.NONE, Map.of()), ROOT).has("annotations"));
  }

  @Test
  void configIsDockersDefaults() throws IOException {
    JsonNode spec = written(settings("work/../app", NetworkMode.NONE, Map.of()), new ResolvedUser(1000, 1000, List.of(50L), "/home/u"));
    assertEquals("1.0.2", spec.path("ociVersion").asText());
    assertEquals("/app", spec.at("/process/cwd").asText(), "a relative workdir is joined to /");
    assertEquals(1000, spec.at("/process/user/uid").asInt());
    assertEquals(List.of("1000", "50"), strings(spec.at("/process/user/additionalGids")));
    assertEquals(List.of("/bin/sh", "-c", "true"), strings(spec.at("/process/args")));
    assertEquals(List.of(DockerDefaults.PATH, "HOSTNAME=box", "A=1", "HOME=/home/u"), strings(spec.at("/process/env")));
    for (String set : List.of("bounding", "effective", "permitted")) {
      assertEquals(DockerDefaults.CAPABILITIES, strings(spec.at("/process/capabilities/" + set)));
    }
    assertFalse(spec.at("/process/capabilities").has("inheritable"));
    assertFalse(spec.at("/process/capabilities").has("ambient"));
    assertEquals("RLIMIT_NOFILE", spec.at("/process/rlimits/0/type").asText());
    assertTrue(spec.at("/process/rlimits/0/soft").asLong() <= 1048576);
    assertFalse(spec.at("/process/noNewPrivileges").asBoolean(true));
    assertEquals(rootfs.toString(), spec.at("/root/path").asText());
    assertFalse(spec.at("/root/readonly").asBoolean(true));
    assertEquals("box", spec.path("hostname").asText());
    assertEquals(List.of("mount", "network", "uts", "pid", "ipc"), field(spec.at("/linux/namespaces"), "type"));
    assertEquals(DockerDefaults.MASKED_PATHS, strings(spec.at("/linux/maskedPaths")).subList(0, 12));
    assertEquals(DockerDefaults.READONLY_PATHS, strings(spec.at("/linux/readonlyPaths")));
    JsonNode devices = spec.at("/linux/resources/devices");
    assertEquals(8, devices.size());
    assertFalse(devices.get(0).has("type"), "the first rule denies every device");
    assertFalse(devices.get(0).path("allow").asBoolean(true));
    assertFalse(spec.at("/linux").has("seccomp"));
    assertFalse(spec.at("/linux").has("cgroupsPath"));
    assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm",
        "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"), field(spec.path("mounts"), "destination"));
    JsonNode hosts = spec.at("/mounts/9");
    assertEquals(tmp.resolve("bundle/hosts").toString(), hosts.path("source").asText());
    assertEquals(List.of("rbind", "rprivate"), strings(hosts.path("options")));
  }

  @Test
  void theBundleFilesAreWrittenAndNoTemporaryIsLeft() throws IOException {
    written(settings("/", NetworkMode.NONE, Map.of()), ROOT);
    written(settings("/", NetworkMode.NONE, Map.of()), ROOT); // rewriting replaces
    try (var files = Files.list(tmp.resolve("bundle"))) {
      assertEquals(List.of("config.json", "hostname", "hosts", "resolv.conf"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals("box\n", Files.readString(tmp.resolve("bundle/hostname")));
    String hosts = Files.readString(tmp.resolve("bundle/hosts"));
    assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"), hosts);
    assertFalse(hosts.contains("box"), "without a network the hostname gets no line, as in Docker: " + hosts);
    String resolv = Files.readString(tmp.resolve("bundle/resolv.conf"));
    assertFalse(resolv.lines().anyMatch(l -> l.matches("\\s*nameserver\\s+(127\\..*|::1)\\s*")), resolv);
  }

  @Test
  void hostNetworkKeepsTheHostsNamespaceAndFiles() throws IOException {
    JsonNode spec = written(settings("/", NetworkMode.HOST, Map.of()), ROOT);
    assertEquals(List.of("mount", "uts", "pid", "ipc"), field(spec.at("/linux/namespaces"), "type"));
    if (Files.isRegularFile(Path.of("/etc/hosts"))) {
      assertEquals(Files.readString(Path.of("/etc/hosts")), Files.readString(tmp.resolve("bundle/hosts")));
    }
  }

  @Test
  void envFollowsDocker() throws IOException {
    ResolvedUser u = new ResolvedUser(1, 1, List.of(), "/home/x");
    assertEquals(List.of("PATH=/bin", "HOSTNAME=other", "TERM=xterm", "B=2", "HOME=/h"),
        strings(written(withEnv(List.of("B=2", "HOSTNAME=other", "PATH=/bin", "HOME=/h"), true), u).at("/process/env")));
    assertEquals(List.of("HOSTNAME=box", "HOME=/home/x"),
        strings(written(withEnv(List.of("PATH", "UNSET"), false), u).at("/process/env")), "a bare name unsets");
    assertThrows(InvalidArgumentException.class, () -> BundleWriter.validate(withEnv(List.of("=x"), false)));
    assertThrows(InvalidArgumentException.class, () -> BundleWriter.validate(withEnv(List.of("A=\0"), false)));
  }

  @Test
  void bindsFollowTheDefaultsParentsFirstAndReplaceWhatTheyCover() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    JsonNode spec = written(withBinds(true, List.of(new BindMount(src, "/a/b", true), new BindMount(src, "/a", false),
        new BindMount(src, "/dev/shm", false), new BindMount(src, "/etc/hosts", false))), ROOT);
    // by depth, and in their given order at equal depth
    assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/a", "/etc/resolv.conf",
        "/etc/hostname", "/a/b", "/dev/shm", "/etc/hosts"), field(spec.path("mounts"), "destination"));
    assertEquals(List.of("rbind", "rprivate"), strings(spec.at("/mounts/6/options")));
    assertEquals(List.of("rbind", "ro", "rprivate"), strings(spec.at("/mounts/8/options")), "read-only with the rootfs");
    assertEquals(List.of("rbind", "ro", "rprivate"), strings(spec.at("/mounts/9/options")));
    assertEquals("bind", spec.at("/mounts/10/type").asText(), "the bind replaces the default /dev/shm");
    assertEquals(src.toString(), spec.at("/mounts/11/source").asText(), "the bind replaces the bundle's hosts");
    assertTrue(spec.at("/root/readonly").asBoolean());
  }

  @Test
  void bindingDevDropsTheDefaultsBelowIt() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    JsonNode spec = written(withBinds(false, List.of(new BindMount(src, "/dev", false))), ROOT);
    assertEquals(List.of("/proc", "/sys", "/sys/fs/cgroup", "/dev", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"),
        field(spec.path("mounts"), "destination"));
  }

  @Test
  void otherBadSettingsAreRefusedBeforeWriting() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    assertEquals("Duplicate mount point: /d", assertThrows(InvalidArgumentException.class, () -> BundleWriter.validate(
        withBinds(false, List.of(new BindMount(src, "/d", false), new BindMount(src, "/d", true))))).getMessage());
    assertEquals("No command specified", assertThrows(InvalidArgumentException.class, () -> BundleWriter.validate(
        new ContainerSettings(List.of(), List.of(), "", "", "box", false, false, NetworkMode.NONE, List.of(), List.of(), Map.of())))
        .getMessage());
    for (String h : List.of("", "a b", "x\n10.0.0.1 evil", "h".repeat(65))) {
      assertThrows(InvalidArgumentException.class, () -> BundleWriter.validate(
          new ContainerSettings(List.of("sh"), List.of(), "", "", h, false, false, NetworkMode.NONE, List.of(), List.of(), Map.of())));
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> field(JsonNode array, String name) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(name).asText()));
    return out;
  }
}
