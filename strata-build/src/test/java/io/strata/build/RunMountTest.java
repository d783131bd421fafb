package io.strata.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.StrataException;
import io.strata.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code RUN --mount} of every type, the flags BuildKit checks, and the SECURITY cases S34 and S35 about mounts. */
class RunMountTest {
  @TempDir Path tmp;
  private BuildFixture f;

  @BeforeEach
  void setUp() throws IOException {
    f = new BuildFixture(tmp);
  }

  @AfterEach
  void tearDown() {
    if (f != null) f.close();
  }

  private String ls(String image, String dir) {
    return f.run(image, "ls", "-A", dir).strip();
  }

  @Test
  void aCacheMountOutlivesTheBuildAndIsNotInTheImage() throws IOException {
    f.build("FROM base:1\nRUN --mount=type=cache,target=/var/cache/app sh -c 'echo run >> /var/cache/app/log; cat /var/cache/app/log > /seen'\n",
        Map.of(), "cache:1");
    f.build("FROM base:1\nRUN --mount=type=cache,target=/var/cache/app sh -c 'echo run >> /var/cache/app/log; cat /var/cache/app/log > /seen' # again\n",
        Map.of(), "cache:2");
    assertEquals("run\n", f.run("cache:1", "cat", "/seen"));
    assertEquals("run\nrun\n", f.run("cache:2", "cat", "/seen"), "the second build saw the first one's file");
    assertFalse(ls("cache:2", "/").contains("var"), "the mount point runc made is not part of the layer");
    Path caches = f.images.store().root().resolve("build-mounts");
    try (var dirs = Files.list(caches)) {
      assertEquals(1, dirs.filter(Files::isDirectory).count());
    }
  }

  @Test
  void aContextBindIsReadOnlyHidesIgnoredFilesAndKeysTheCache() throws IOException {
    Files.writeString(f.ctx.resolve("a.txt"), "a1");
    Files.writeString(f.ctx.resolve("secret.key"), "never seen");
    Files.writeString(f.ctx.resolve(".dockerignore"), "*.key\n");
    String df = "FROM base:1\nRUN --mount=target=/src ls -A /src > /listing\n";
    Digest first = f.build(df, Map.of(), "bind:1");
    assertEquals(".dockerignore\nDockerfile\na.txt", f.run("bind:1", "cat", "/listing").strip());
    assertEquals(first, f.build(df, Map.of(), "bind:2"), "unchanged context: cached");
    Files.writeString(f.ctx.resolve("a.txt"), "a2");
    assertNotEquals(first, f.build(df, Map.of(), "bind:3"), "a changed file under the bind runs the step again");

    // a symlink as the source: what it leads to is mounted, and what it leads to keys the cache
    Files.createDirectories(f.ctx.resolve("real"));
    Files.writeString(f.ctx.resolve("real/v"), "one");
    Files.createSymbolicLink(f.ctx.resolve("link"), Path.of("real"));
    String viaLink = "FROM base:1\nRUN --mount=source=link,target=/m cat /m/v > /got\n";
    f.build(viaLink, Map.of(), "bind:6");
    Files.writeString(f.ctx.resolve("real/v"), "two");
    f.build(viaLink, Map.of(), "bind:7");
    assertEquals("two", f.run("bind:7", "cat", "/got"), "a change behind the link runs the step again");

    StrataException readOnly = assertThrows(StrataException.class,
        () -> f.build("FROM base:1\nRUN --mount=type=bind,target=/src touch /src/new\n", Map.of(), "bind:4"));
    assertTrue(readOnly.getMessage().contains("Read-only file system"), readOnly.getMessage());
    f.build("FROM base:1\nRUN --mount=type=bind,target=/src,rw touch /src/new\n", Map.of(), "bind:5");
    assertFalse(Files.exists(f.ctx.resolve("new")), "rw writes are dropped, never written to the context");
  }

  @Test
  void aBindFromAnotherStage() throws IOException {
    f.build("""
        FROM base:1 AS tools
        RUN mkdir /out && echo made in tools > /out/file
        FROM base:1
        RUN --mount=from=tools,source=/out,target=/m cat /m/file > /got
        """, Map.of(), "stagebind:1");
    assertEquals("made in tools\n", f.run("stagebind:1", "cat", "/got"));
    assertFalse(ls("stagebind:1", "/").contains("m\n"));
  }

  @Test
  void aCacheGetsItsModeAndOwnerWhenMade() throws IOException {
    f.build("FROM base:1\nRUN --mount=type=cache,target=/c,mode=1777,uid=1000,gid=1000 stat -c '%a %u %g' /c > /m\n", Map.of(), "mode:1");
    assertEquals("1777 1000 1000\n", f.run("mode:1", "cat", "/m"));
  }

  @Test
  void aTmpfsMountLeavesNothing() throws IOException {
    f.build("FROM base:1\nRUN --mount=type=tmpfs,target=/scratch,size=1m sh -c 'echo x > /scratch/f && cat /scratch/f > /got'\n",
        Map.of(), "tmpfs:1");
    assertEquals("x\n", f.run("tmpfs:1", "cat", "/got"));
    assertFalse(ls("tmpfs:1", "/").lines().anyMatch("scratch"::equals));
    // through an image's own symlink (as /var/run -> /run): the mount point runc made there goes too
    f.build("FROM base:1\nRUN mkdir /real && ln -s /real /link\nRUN --mount=type=tmpfs,target=/link/sub true\n", Map.of(), "tmpfs:2");
    assertEquals("", ls("tmpfs:2", "/real"));
  }

  @Test
  void secretsAreMountedForTheStepOnly() throws IOException {
    Map<String, byte[]> secrets = Map.of("tok", "s3cret".getBytes(StandardCharsets.UTF_8));
    f.build("""
        FROM base:1
        RUN --mount=type=secret,id=tok sh -c 'stat -c %a /run/secrets/tok > /mode; test "$(cat /run/secrets/tok)" = s3""cret && echo ok > /checked'
        RUN --mount=type=secret,id=tok,env=TOKEN sh -c 'test "$TOKEN" = s3""cret && echo ok > /env-checked'
        """, Map.of(), secrets, "secret:1");
    assertEquals("400\n", f.run("secret:1", "cat", "/mode"));
    assertEquals("ok\n", f.run("secret:1", "cat", "/checked"));
    assertEquals("ok\n", f.run("secret:1", "cat", "/env-checked"));
    assertFalse(ls("secret:1", "/").lines().anyMatch("run"::equals), "no /run/secrets stub left in the image");
    String config = io.strata.oci.Json.mapper().writeValueAsString(f.images.resolve("secret:1").config().value());
    assertFalse(config.contains("s3cret"), "the secret is in neither the config nor the history");
    InvalidArgumentException missing = assertThrows(InvalidArgumentException.class,
        () -> f.build("FROM base:1\nRUN --mount=type=secret,id=absent,required true\n", Map.of(), "secret:2"));
    assertTrue(missing.getMessage().startsWith("Dockerfile:2: secret absent: not found"), missing.getMessage());
  }

  @Test
  void flagsAreCheckedBeforeAnythingRuns() {
    record Case(String dockerfile, String message) {}
    for (Case c : List.of(
        new Case("FROM base:1\nRUN --foo=bar true\n", "Dockerfile:2: unknown flag: --foo for RUN"),
        new Case("FROM base:1\nCOPY --parents a /\n", "Dockerfile:2: flag --parents is not supported (BuildKit's labs syntax) for COPY"),
        new Case("FROM base:1\nADD --from=x a /\n", "Dockerfile:2: unknown flag: --from for ADD"),
        new Case("FROM base:1\nRUN --security=insecure true\n",
            "Dockerfile:2: --security=insecure needs the security.insecure entitlement, which strata does not grant"),
        new Case("FROM base:1\nRUN --mount=type=ssh true\n", "Dockerfile:2: --mount: RUN --mount=type=ssh is not supported"),
        new Case("FROM base:1\nRUN --mount=type=cache,target=/c,bogus=1 true\n", "Dockerfile:2: --mount: unexpected key 'bogus' in 'bogus=1'"),
        new Case("FROM base:1\nCOPY --checksum=sha256:0000 a /\n", "Dockerfile:2: unknown flag: --checksum for COPY"),
        new Case("FROM base:1\nRUN --mount=type,target=/x true\n", "Dockerfile:2: --mount: invalid field 'type': must be a key=value pair"),
        new Case("FROM base:1\nRUN --mount=type=tmpfs,target=/t,size=99999999999999999999 true\n",
            "Dockerfile:2: --mount: invalid size 99999999999999999999"),
        new Case("FROM base:1\nRUN --mount=type=cache,target=/a,id=x --mount=type=cache,target=/b,id=x true\n",
            "Dockerfile:2: cache x is mounted twice in one step"),
        new Case("FROM --platform=linux/s390x base:1\n",
            "Dockerfile:1: platform linux/s390x is not supported: strata builds for " + io.strata.oci.Platform.current() + " only (no emulation)"))) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> f.build(c.dockerfile(), Map.of(), "flags:1"), c.dockerfile());
      assertEquals(c.message(), e.getMessage());
    }
    assertTrue(f.images.fsck().problems().isEmpty());
  }

  @Test
  void platformArgsAndHeredocExpansion() throws IOException {
    f.build("""
        FROM --platform=$BUILDPLATFORM base:1
        ARG TARGETARCH
        ARG NAME=world
        RUN echo "$TARGETARCH" > /arch
        COPY <<EOF /expanded
        hello "$NAME" \\$HOME ${NAME:+set}
        EOF
        COPY <<'EOF' /literal
        hello "$NAME"
        EOF
        """, Map.of(), "plat:1");
    assertEquals(io.strata.oci.Platform.current().architecture() + "\n", f.run("plat:1", "cat", "/arch"));
    assertEquals("hello \"world\" $HOME set\n", f.run("plat:1", "cat", "/expanded"));
    assertEquals("hello \"$NAME\"\n", f.run("plat:1", "cat", "/literal"));
  }

  /**
   * S34, CVE-2024-23651: a step swapping a cache's directory for a symlink to / while another
   * mounts a path through it ({@code sub/etc}): the kernel resolves it inside the cache every time.
   */
  @Test
  void s34ACacheSubdirSwappedForASymlinkNeverMountsTheHost() throws Exception {
    String swapper = "FROM base:1\nRUN --mount=type=cache,id=c,target=/c sh -c 'i=0; while [ $i -lt 1500 ]; do"
        + " rm -rf /c/sub; mkdir -p /c/sub/etc; rm -rf /c/sub; ln -s / /c/sub; i=$((i+1)); done'\n";
    Path ctx2 = Files.createDirectories(tmp.resolve("ctx2"));
    Files.writeString(ctx2.resolve("Dockerfile"), swapper);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> swapping = pool.submit(() -> new Builder(f.images, f.containers).build(
          new BuildRequest(ctx2, null, List.of(), Map.of(), null, false, Map.of(), null, Map.of()),
          new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), true));
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < 6 && !swapping.isDone(); i++) {
        try {
          f.build("FROM base:1\nRUN --mount=type=cache,id=c,source=sub/etc,target=/m sh -c 'ls -A /m > /listing' # " + i + "\n",
              Map.of(), "s34:" + i);
          seen.add(f.run("s34:" + i, "cat", "/listing").strip());
        } catch (StrataException e) {
          // the swapper won this round (the directory changed or was deleted under the mount): a failed step, never the host
          assertTrue(e.getMessage().startsWith("Dockerfile:2: "), e.getMessage());
        }
      }
      swapping.get();
      for (String listing : seen) {
        assertEquals("", listing, "only the cache's own (empty) sub/etc is ever mounted, never the host's /etc");
      }
    }
  }

  /** S34, CVE-2024-23652: the step replaces a mount's parent with a symlink to a host path; cleanup stays in the root. */
  @Test
  void s34MountStubCleanupNeverFollowsASymlinkOut() throws IOException {
    Path victim = Files.createDirectories(tmp.resolve("victim/b"));
    f.build("FROM base:1\nRUN --mount=type=tmpfs,target=/a/b sh -c 'mv /a /a2 && ln -s " + victim.getParent() + " /a'\n",
        Map.of(), "stub:1");
    assertTrue(Files.isDirectory(victim), "the host directory named like the stub is untouched");
    assertEquals(victim.getParent().toString(), f.run("stub:1", "sh", "-c", "readlink /a").strip());
  }

  /** S35: a bind source climbing out of the context, through a symlink or not, and a cache id naming a host path stay inside their roots. */
  @Test
  void s35BindSourcesAndCacheIdsStayInside() throws IOException {
    Files.writeString(f.ctx.resolve("in-context"), "x");
    f.build("FROM base:1\nRUN --mount=type=bind,source=../../../,target=/h ls -A /h > /listing\n", Map.of(), "s35:1");
    assertEquals("Dockerfile\nin-context", f.run("s35:1", "cat", "/listing").strip());
    Path host = Files.createDirectories(tmp.resolve("host-only"));
    Files.writeString(host.resolve("host-file"), "secret");
    Files.createSymbolicLink(f.ctx.resolve("up"), Path.of("../../../../.."));
    Files.createSymbolicLink(f.ctx.resolve("abs"), host);
    for (String rw : List.of("", ",rw")) {
      f.build("FROM base:1\nRUN --mount=type=bind,source=up,target=/h" + rw + " ls -A /h > /listing\n", Map.of(), "s35:3");
      String listing = f.run("s35:3", "cat", "/listing");
      assertTrue(listing.contains("in-context") && !listing.contains("host-only"), "the link climbs to the context root only: " + listing);
      InvalidArgumentException abs = assertThrows(InvalidArgumentException.class,
          () -> f.build("FROM base:1\nRUN --mount=type=bind,source=abs,target=/h" + rw + " cat /h/host-file\n", Map.of(), "s35:4"));
      assertTrue(abs.getMessage().contains("\"abs\" not found in the build context"), abs.getMessage());
    }
    f.build("FROM base:1\nRUN --mount=type=cache,id=../../../../../../tmp/s35-pwned,target=/c touch /c/pwned\n", Map.of(), "s35:2");
    assertFalse(Files.exists(Path.of("/tmp/s35-pwned")));
    try (var w = Files.walk(f.images.store().root().resolve("build-mounts"))) {
      assertTrue(w.anyMatch(p -> p.getFileName().toString().equals("pwned")), "the file is in the store's cache directory");
    }
  }
}
