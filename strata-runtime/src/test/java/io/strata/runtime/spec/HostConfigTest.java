package io.strata.runtime.spec;

import static io.strata.runtime.spec.FlagValuesTest.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parsers of run's privilege, limit and device flags (Docker's messages), and what a
 * {@link HostConfig} makes of the runtime spec.
 */
class HostConfigTest {
  @TempDir Path tmp;

  // ---- --ulimit

  @Test
  void ulimits() {
    assertEquals(new Ulimit("nofile", 1024, 2048), Ulimit.parse("nofile=1024:2048"));
    assertEquals(new Ulimit("nproc", 512, 512), Ulimit.parse("nproc=512"), "no hard limit: the soft one");
    assertEquals(new Ulimit("core", -1, -1), Ulimit.parse("core=-1"));
    assertEquals(new Ulimit("core", 1, -1), Ulimit.parse("core=1:-1"), "any soft limit under an unlimited hard one");
    assertEquals("RLIMIT_MEMLOCK", Ulimit.parse("memlock=1").rlimit());
    for (String n : List.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
        "rtprio", "rttime", "sigpending", "stack")) {
      assertEquals(n, Ulimit.parse(n + "=1").name());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "nofile|invalid ulimit argument: nofile",
      "foo=1|invalid ulimit type: foo",
      "NOFILE=1|invalid ulimit type: NOFILE",
      "as=1|invalid ulimit type: as",
      "nofile=abc|strconv.ParseInt: parsing \"abc\": invalid syntax",
      "nofile=1:x|strconv.ParseInt: parsing \"x\": invalid syntax",
      "nofile=2048:1024|ulimit soft limit must be less than or equal to hard limit: 2048 > 1024",
      "nofile=1:2:3|too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`"})
  void badUlimits(String in, String error) {
    assertEquals(error, message(() -> Ulimit.parse(in)));
  }

  // ---- --device

  @Test
  void devices() {
    assertEquals(new DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"), DeviceMapping.parse("/dev/fuse"));
    assertEquals(new DeviceMapping("/dev/null", "/dev/mynull", "rwm"), DeviceMapping.parse("/dev/null:/dev/mynull"));
    assertEquals(new DeviceMapping("/dev/null", "/dev/null", "r"), DeviceMapping.parse("/dev/null:r"), "a mode, not a path");
    assertEquals(new DeviceMapping("/dev/sda", "/dev/xvdc", "rm"), DeviceMapping.parse("/dev/sda:/dev/xvdc:rm"));
    assertEquals(new DeviceMapping("/dev/null", "/dev/x", "rwm"), DeviceMapping.parse("/dev/null:/dev/./x/"),
        "the container path cleaned as the CLI cleans it");
    assertEquals(new DeviceMapping("/dev/null", "/dev/null", "rwm"), DeviceMapping.parse("/dev//null/"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "relative|relative is not an absolute path",
      "/dev/null:rel|rel is not an absolute path",
      "/dev/null:/dev/x:rwz|bad mode specified: rwz",
      "/dev/null:/dev/x:rr|bad mode specified: rr",
      "/dev/null:/dev/x:/dev/y:r|bad format for path: /dev/null:/dev/x:/dev/y:r",
      ":/dev/x|bad format for path: :/dev/x"})
  void badDevices(String in, String error) {
    assertEquals(error, message(() -> DeviceMapping.parse(in)));
  }

  @Test
  void aDeviceMustBeANodeOnTheHost() throws IOException {
    assertEquals("error gathering device information while adding custom device \"/dev/nonexist\": no such file or directory",
        message(() -> HostDevices.of(DeviceMapping.parse("/dev/nonexist"))));
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertEquals("error gathering device information while adding custom device \"" + dir + "\": not a device node",
        message(() -> HostDevices.of(DeviceMapping.parse(dir.toString()))));
    HostDevices.Device n = HostDevices.of(DeviceMapping.parse("/dev/null:/dev/n:rw")).getFirst();
    assertEquals(new HostDevices.Device("/dev/n", "c", 1, 3, 0666, 0, 0, "rw"), n);
  }

  // ---- capabilities

  @Test
  void capabilityNamesAreNormalisedAsTheDockerCliDoes() {
    Capabilities.Requested r = Capabilities.requested(List.of("sys_admin", "CAP_NET_ADMIN", "Sys_Admin", "chown"),
        List.of("chown", "cap_kill", "all"));
    assertEquals(List.of("CAP_CHOWN", "CAP_NET_ADMIN", "CAP_SYS_ADMIN"), r.add());
    assertEquals(List.of("ALL", "CAP_KILL"), r.drop(), "an added capability is not dropped");
  }

  @Test
  void capabilitiesAreDockersDefaultsTweaked() {
    assertEquals(DockerDefaults.CAPABILITIES, Capabilities.effective(List.of(), List.of(), false));
    List<String> tweaked = Capabilities.effective(List.of("CAP_SYS_ADMIN"), List.of("CAP_CHOWN", "CAP_KILL"), false);
    assertFalse(tweaked.contains("CAP_CHOWN"));
    assertFalse(tweaked.contains("CAP_KILL"));
    assertTrue(tweaked.contains("CAP_SYS_ADMIN") && tweaked.contains("CAP_MKNOD"));
    assertEquals(List.of("CAP_CHOWN"), Capabilities.effective(List.of("CAP_CHOWN"), List.of("ALL"), false));
    List<String> all = Capabilities.all();
    assertTrue(all.containsAll(DockerDefaults.CAPABILITIES), all.toString());
    List<String> allButChown = new ArrayList<>(all);
    allButChown.remove("CAP_CHOWN");
    assertEquals(allButChown, Capabilities.effective(List.of("ALL"), List.of("CAP_CHOWN"), false));
    assertEquals(all, Capabilities.effective(List.of(), List.of("ALL"), true), "privileged: all of them");
  }

  @Test
  void unknownCapabilitiesAreRefused() {
    assertEquals("invalid CapAdd: unknown capability: \"CAP_FOO\"", message(() -> Capabilities.check(List.of("foo"), List.of())));
    assertEquals("invalid CapDrop: unknown capability: \"CAP_FOO\"", message(() -> Capabilities.check(List.of(), List.of("foo"))));
    assertEquals("invalid CapAdd: unknown capability: \"CAP_ALL\"", message(() -> Capabilities.check(List.of("CAP_ALL"), List.of())));
  }

  // ---- --security-opt

  @Test
  void securityOptions() {
    assertTrue(SecurityOpts.noNewPrivileges(List.of("no-new-privileges")));
    assertTrue(SecurityOpts.noNewPrivileges(List.of("no-new-privileges=true")));
    assertTrue(SecurityOpts.noNewPrivileges(List.of("no-new-privileges:1")));
    assertFalse(SecurityOpts.noNewPrivileges(List.of("no-new-privileges", "no-new-privileges=false")), "the last wins");
    assertFalse(SecurityOpts.noNewPrivileges(List.of()));
    assertEquals("invalid --security-opt 2: \"no-new-privileges=maybe\"",
        message(() -> SecurityOpts.noNewPrivileges(List.of("no-new-privileges=maybe"))));
    assertEquals("invalid --security-opt 2: \"foo=bar\"", message(() -> SecurityOpts.noNewPrivileges(List.of("foo=bar"))));
    assertEquals("Invalid --security-opt: \"foo\"", message(() -> SecurityOpts.checkForm("foo")));
    for (String o : List.of("seccomp=unconfined", "apparmor=unconfined", "label=disable", "label:disable", "systempaths=unconfined")) {
      assertEquals("--security-opt \"" + o + "\" is not supported by strata (only no-new-privileges[=true|false] is)",
          message(() -> SecurityOpts.checkForm(o)));
      assertEquals("--security-opt \"" + o + "\" is not supported by strata (only no-new-privileges[=true|false] is)",
          message(() -> SecurityOpts.noNewPrivileges(List.of(o))));
    }
    SecurityOpts.checkForm("no-new-privileges");
    SecurityOpts.checkForm("no-new-privileges=false");
  }

  // ---- resources

  @Test
  void resourcesAreCheckedAsTheDaemonChecksThem() {
    new Resources(64 << 20, 128 << 20, 500_000_000, 512, 10L).check(2);
    new Resources(64 << 20, -1, 2_000_000_000, 0, null).check(2);
    assertEquals("Minimum memory limit allowed is 6MB", message(() -> new Resources(1024, 0, 0, 0, null).check(2)));
    assertEquals("Minimum memoryswap limit should be larger than memory limit, see usage",
        message(() -> new Resources(64 << 20, 32 << 20, 0, 0, null).check(2)));
    assertEquals("You should always set the Memory limit when using Memoryswap limit, see usage",
        message(() -> new Resources(0, 128 << 20, 0, 0, null).check(2)));
    assertEquals("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
        message(() -> new Resources(0, 0, 2_000_000_001L, 0, null).check(2)));
    assertEquals("Range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available",
        message(() -> new Resources(0, 0, -1, 0, null).check(4)));
    assertEquals("shares: invalid argument", message(() -> new Resources(0, 0, 0, -3, null).check(2)));
  }

  @Test
  void theDaemonsAdjustments() {
    assertEquals(null, new Resources(0, 0, 0, 0, 0L).adapted().pidsLimit(), "0 is unlimited");
    assertEquals(null, new Resources(0, 0, 0, 0, -5L).adapted().pidsLimit());
    assertEquals(7L, new Resources(0, 0, 0, 0, 7L).adapted().pidsLimit());
    long swap = new Resources(64 << 20, 0, 0, 0, null).adapted().memorySwap();
    assertEquals(Resources.Cgroups.swapAccounting() ? 128 << 20 : 0, swap, "swap defaults to twice the memory");
    assertEquals(-1, new Resources(64 << 20, -1, 0, 0, null).adapted().memorySwap());
  }

  // ---- the runtime spec

  @Test
  void theSpecCarriesTheHostConfig() throws IOException {
    HostConfig host = new HostConfig(List.of("sys_admin"), List.of("chown"), false, List.of("no-new-privileges"),
        List.of(Ulimit.parse("nofile=100:200"), Ulimit.parse("core=-1")),
        new Resources(64 << 20, 128 << 20, 1_500_000_000, 512, 10L), List.of(DeviceMapping.parse("/dev/null:/dev/n:r")),
        List.of(), false);
    JsonNode spec = written(host, List.of("/bin/sh"));
    JsonNode process = spec.path("process");
    List<String> caps = strings(process.at("/capabilities/effective"));
    assertTrue(caps.contains("CAP_SYS_ADMIN") && !caps.contains("CAP_CHOWN"), caps.toString());
    assertEquals(caps, strings(process.at("/capabilities/bounding")));
    assertTrue(process.path("noNewPrivileges").asBoolean());
    assertEquals(2, process.path("rlimits").size(), process.path("rlimits").toString());
    assertEquals("RLIMIT_NOFILE", process.at("/rlimits/0/type").asText());
    assertEquals(200, process.at("/rlimits/0/hard").asLong());
    assertEquals(100, process.at("/rlimits/0/soft").asLong());
    assertEquals("RLIMIT_CORE", process.at("/rlimits/1/type").asText());
    assertEquals("18446744073709551615", process.at("/rlimits/1/hard").asText(), "-1: unlimited, unsigned as runc reads it");

    JsonNode resources = spec.at("/linux/resources");
    assertEquals(64 << 20, resources.at("/memory/limit").asLong());
    assertEquals(128 << 20, resources.at("/memory/swap").asLong());
    assertEquals(512, resources.at("/cpu/shares").asLong());
    assertEquals(150_000, resources.at("/cpu/quota").asLong());
    assertEquals(100_000, resources.at("/cpu/period").asLong());
    assertEquals(10, resources.at("/pids/limit").asLong());
    JsonNode rule = resources.path("devices").get(resources.path("devices").size() - 1);
    assertEquals("{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"r\"}", rule.toString());
    assertEquals("{\"path\":\"/dev/n\",\"type\":\"c\",\"major\":1,\"minor\":3,\"fileMode\":438,\"uid\":0,\"gid\":0}",
        spec.at("/linux/devices/0").toString());
    assertTrue(spec.at("/linux/maskedPaths").size() > 0);
  }

  @Test
  void withoutFlagsTheSpecIsDockersDefault() throws IOException {
    JsonNode spec = written(HostConfig.NONE, List.of("/bin/sh"));
    assertEquals(DockerDefaults.CAPABILITIES, strings(spec.at("/process/capabilities/effective")));
    assertFalse(spec.at("/process/noNewPrivileges").asBoolean());
    assertEquals(1, spec.at("/process/rlimits").size());
    assertTrue(spec.at("/linux/resources/memory").isMissingNode());
    assertTrue(spec.at("/linux/resources/cpu").isMissingNode());
    assertTrue(spec.at("/linux/resources/pids").isMissingNode());
    assertTrue(spec.at("/linux/devices").isMissingNode());
  }

  @Test
  void privilegedHasAllCapabilitiesDevicesAndNothingMasked() throws IOException {
    HostConfig host = new HostConfig(List.of(), List.of(), true, List.of(), List.of(), Resources.NONE, List.of(), List.of(), false);
    JsonNode spec = written(host, List.of("/bin/sh"));
    assertEquals(Capabilities.all(), strings(spec.at("/process/capabilities/effective")));
    assertTrue(spec.at("/linux/maskedPaths").isMissingNode());
    assertTrue(spec.at("/linux/readonlyPaths").isMissingNode());
    JsonNode rules = spec.at("/linux/resources/devices");
    assertEquals("{\"allow\":true,\"access\":\"rwm\"}", rules.get(rules.size() - 1).toString());
    assertTrue(strings(spec.at("/linux/devices"), "path").contains("/dev/null"));
    for (JsonNode m : spec.path("mounts")) {
      if (m.path("destination").asText().startsWith("/sys")) {
        assertFalse(strings(m.path("options")).contains("ro"), m.toString());
      }
    }
  }

  @Test
  void initRunsTheCommandUnderDockerInit() throws IOException {
    HostConfig host = new HostConfig(List.of(), List.of(), false, List.of(), List.of(), Resources.NONE, List.of(), List.of(), true);
    JsonNode spec = written(host, List.of("sleep", "1"));
    assertEquals(List.of("/sbin/docker-init", "--", "sleep", "1"), strings(spec.at("/process/args")));
    JsonNode init = null;
    for (JsonNode m : spec.path("mounts")) if (m.path("destination").asText().equals("/sbin/docker-init")) init = m;
    assertEquals(HostConfig.initBinary().toString(), init.path("source").asText());
    assertTrue(strings(init.path("options")).contains("ro"));
  }

  @Test
  void groupAddResolvesInTheContainersGroupFile() throws IOException {
    Path rootfs = Files.createDirectories(tmp.resolve("accounts/etc")).getParent();
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\naudio:x:29:app\nstaff:x:50:\n");
    assertEquals(List.of(29L, 50L, 777L), UserResolver.resolve(rootfs, "", List.of("audio", "50", "777", "audio")).additionalGids());
    assertEquals(List.of(29L, 50L), UserResolver.resolve(rootfs, "app", List.of("staff")).additionalGids(),
        "the user's own groups, then the added ones");
    assertEquals(List.of(29L), UserResolver.resolve(rootfs, "", List.of("+29")).additionalGids(), "a number as Go reads it");
    assertEquals("Unable to find group nosuch: no matching entries in group file",
        message(() -> UserResolver.resolve(rootfs, "", List.of("nosuch"))));
    assertEquals("Unable to find group : no matching entries in group file", message(() -> UserResolver.resolve(rootfs, "", List.of(""))));
    assertEquals("uids and gids must be in range 0-2147483647", message(() -> UserResolver.resolve(rootfs, "", List.of("-5"))));
    assertEquals("uids and gids must be in range 0-2147483647",
        message(() -> UserResolver.resolve(rootfs, "", List.of("99999999999"))));
  }

  @Test
  void keptAsJson() {
    HostConfig host = new HostConfig(List.of("net_admin"), List.of(), true, List.of("no-new-privileges"),
        List.of(Ulimit.parse("nofile=1:2")), new Resources(1, 2, 3, 4, 5L), List.of(DeviceMapping.parse("/dev/null")),
        List.of("audio"), true);
    HostConfig back = Json.read(Json.write(host), HostConfig.class, "host config");
    assertEquals(host, back);
    assertFalse(new String(Json.write(host)).contains("noNewPrivileges"), "derived values are not kept");
    assertEquals(HostConfig.NONE, Json.read("{}".getBytes(), HostConfig.class, "an older container's"));
  }

  private JsonNode written(HostConfig host, List<String> args) throws IOException {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    ContainerSettings s = new ContainerSettings(args, List.of(), "", "", "box", false, false, NetworkMode.NONE, List.of(),
        List.of(), Map.of()).withHost(host);
    return Json.mapper().readTree(BundleWriter.write(tmp.resolve("bundle"), rootfs, s, BundleWriterTest.ROOT).toFile());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> strings(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }
}
