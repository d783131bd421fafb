package io.strata.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.strata.testkit.HostRequirements;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written bundle, run by the real runc on a busybox root. Skips when root, runc or busybox is
 * missing, except with CI=true, where it fails ({@link HostRequirements}).
 */
class RuncBundleTest {
  private static final List<String> APPLETS = List.of("sh", "echo", "id", "cat", "touch");

  record Result(int exitCode, String out, String err) {}

  @TempDir Path tmp;
  Path rootfs;

  @BeforeEach
  void busyboxRoot() throws IOException {
    HostRequirements.containers();
    rootfs = tmp.resolve("rootfs");
    for (String d : List.of("bin", "etc", "tmp")) Files.createDirectories(rootfs.resolve(d));
    Path busybox = rootfs.resolve("bin/busybox");
    Files.copy(HostRequirements.BUSYBOX, busybox);
    Files.setPosixFilePermissions(busybox, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String a : APPLETS) Files.createSymbolicLink(rootfs.resolve("bin/" + a), Path.of("busybox"));
  }

  static ContainerSettings settings(String script, String workdir, boolean readOnlyRootfs, List<BindMount> binds) {
    return new ContainerSettings(List.of("/bin/sh", "-c", script), List.of(), workdir, "1000:1000", "spec-test",
        readOnlyRootfs, false, NetworkMode.NONE, binds, List.of(), Map.of());
  }

  @Test
  void runcRunsTheBundleAsTheUserInTheWorkdir() throws Exception {
    ContainerSettings s = settings("id -u; id -G; pwd; cat /etc/hostname", "/tmp", false, List.of());
    Result r = run(s, UserResolver.resolve(rootfs, s.user()));
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of("1000", "1000", "/tmp", "spec-test"), r.out().lines().toList(), r.err());
  }

  @Test
  void aReadOnlyRootfsAndAReadOnlyBindCannotBeWritten() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host-data"));
    Files.writeString(host.resolve("hello"), "hello from the host\n");
    ResolvedUser root = UserResolver.resolve(rootfs, "");

    Result rootfsWrite = run(settings("touch /x", "/", true, List.of()), root);
    assertNotEquals(0, rootfsWrite.exitCode(), "touch /x succeeded on a read-only rootfs");
    assertFalse(Files.exists(rootfs.resolve("x")));

    List<BindMount> ro = List.of(BindMount.parse(host + ":/data:ro"));
    Result bindWrite = run(settings("cat /data/hello && touch /data/y", "/", true, ro), root);
    assertEquals("hello from the host\n", bindWrite.out(), bindWrite.err());
    assertNotEquals(0, bindWrite.exitCode(), "touch succeeded on a read-only bind");
    assertFalse(Files.exists(host.resolve("y")));

    // the control: the same write through a writable bind goes through
    Result rw = run(settings("touch /data/y", "/", true, List.of(BindMount.parse(host + ":/data"))), root);
    assertEquals(0, rw.exitCode(), rw.err());
    assertTrue(Files.exists(host.resolve("y")));
  }

  private Result run(ContainerSettings s, ResolvedUser user) throws IOException, InterruptedException {
    String id = "strata-spec-" + UUID.randomUUID().toString().substring(0, 8);
    Path bundle = tmp.resolve("bundle-" + id);
    BundleWriter.write(bundle, rootfs, s, user);
    Path out = tmp.resolve(id + ".out");
    Path err = tmp.resolve(id + ".err");
    Process p = new ProcessBuilder(runc("run", "--bundle", bundle.toString(), id))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("runc run did not finish within 30s");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      // run deletes the container when it ends; this is for a timeout or a half-made container
      new ProcessBuilder(runc("delete", "--force", id)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private List<String> runc(String... args) {
    List<String> cmd = new ArrayList<>(List.of(HostRequirements.RUNC.toString(), "--root", tmp.resolve("runc-root").toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
