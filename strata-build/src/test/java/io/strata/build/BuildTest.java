package io.strata.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.StrataException;
import io.strata.image.HistoryEntry;
import io.strata.image.Image;
import io.strata.image.ImageService;
import io.strata.oci.ContainerConfig;
import io.strata.oci.Digest;
import io.strata.runtime.Containers;
import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds against a temporary store on a busybox base made from the host's static busybox. */
class BuildTest {
  @TempDir Path tmp;
  private BuildFixture f;
  private ImageService images;
  private Containers containers;
  private Path ctx;

  @BeforeEach
  void setUp() throws IOException {
    f = new BuildFixture(tmp);
    images = f.images;
    containers = f.containers;
    ctx = f.ctx;
  }

  @AfterEach
  void tearDown() {
    if (f != null) f.close();
  }

  private Digest build(String dockerfile, Map<String, String> args, String... tags) throws IOException {
    return f.build(dockerfile, args, tags);
  }

  private String run(String image, String... cmd) {
    return f.run(image, cmd);
  }

  @Test
  void aMultiStageBuildWithEveryCommonInstruction() throws IOException {
    Files.writeString(ctx.resolve("app.txt"), "hello from the context\n");
    Files.createDirectories(ctx.resolve("conf/sub"));
    Files.writeString(ctx.resolve("conf/a.conf"), "a");
    Files.writeString(ctx.resolve("conf/sub/b.conf"), "b");
    Files.writeString(ctx.resolve("secret.key"), "never copied");
    Files.writeString(ctx.resolve(".dockerignore"), "*.key\n");
    Digest id = build("""
        ARG BASE=base:1
        FROM ${BASE} AS builder
        ARG GREETING=hi
        RUN mkdir -p /out && echo "$GREETING from RUN" > /out/greeting
        FROM base:1
        LABEL org.example.name="demo app" version=1
        ENV APP_HOME=/app PATH=/app/bin:$PATH
        WORKDIR $APP_HOME
        COPY app.txt ./
        COPY conf/ /etc/app/
        COPY --from=builder /out/greeting /app/greeting
        COPY --chown=app:app --chmod=600 app.txt /home/app/private.txt
        USER app
        EXPOSE 8080 53/udp
        VOLUME /data
        STOPSIGNAL SIGINT
        ENTRYPOINT ["cat"]
        CMD ["/app/app.txt"]
        """, Map.of("GREETING", "hello"), "app:1");
    Image img = images.resolve("app:1");
    assertEquals(id, img.id());
    ContainerConfig c = img.config().value().configOrEmpty();
    assertEquals("/app", c.workingDir());
    assertEquals("app", c.user());
    assertEquals(List.of("cat"), c.entrypoint());
    assertEquals(List.of("/app/app.txt"), c.cmd());
    assertTrue(c.env().contains("APP_HOME=/app"));
    assertTrue(c.env().stream().anyMatch(e -> e.startsWith("PATH=/app/bin:/usr/local/sbin")), c.env().toString());
    assertEquals(Map.of("org.example.name", "demo app", "version", "1"), c.labels());
    assertEquals(java.util.Set.of("8080/tcp", "53/udp"), c.exposedPorts().keySet());
    assertEquals(java.util.Set.of("/data"), c.volumes().keySet());
    assertEquals("SIGINT", c.stopSignal());
    assertEquals("hello from the context\n", run("app:1"));
    assertEquals("hello from RUN\n", run("app:1", "/app/greeting"));
    String stat = run("app:1", "/dev/stdin"); // entrypoint cat; just to see it runs as app
    assertTrue(run("app:1", "/etc/app/sub/b.conf").equals("b"));
    List<HistoryEntry> history = images.history("app:1");
    assertTrue(history.stream().anyMatch(h -> h.createdBy().equals("COPY app.txt ./ # buildkit")), history.toString());
    assertTrue(history.stream().anyMatch(h -> h.createdBy().equals("ENTRYPOINT [\"cat\"]")), history.toString());
    assertEquals(base().layers().size() + 5, img.layers().size(), "WORKDIR + 4 COPY layers over the base");
    assertFalse(stat.contains("never copied"));
  }

  private Image base() {
    return images.resolve("base:1");
  }

  @Test
  void theCacheReusesUnchangedStepsAndAChangedFileInvalidatesOnlyWhatFollows() throws IOException {
    Files.writeString(ctx.resolve("a.txt"), "a1");
    Files.writeString(ctx.resolve("b.txt"), "b1");
    String df = """
        FROM base:1
        RUN echo one > /one
        COPY a.txt /a.txt
        RUN cat /a.txt > /copy-of-a
        COPY b.txt /b.txt
        """;
    Digest first = build(df, Map.of(), "c:1");
    assertFalse(f.output.toString().contains("Using cache"));
    Digest again = build(df, Map.of(), "c:2");
    assertEquals(first, again, "a fully cached rebuild gives the same image");
    assertEquals(4, count(f.output.toString(), "--> Using cache"));
    Files.writeString(ctx.resolve("b.txt"), "b2");
    Files.setLastModifiedTime(ctx.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(0)); // mtime is not content
    Digest changed = build(df, Map.of(), "c:3");
    assertNotEquals(first, changed);
    assertEquals(3, count(f.output.toString(), "--> Using cache"), f.output.toString());
    assertEquals("b2", run("c:3", "cat", "/b.txt"));
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
    return n;
  }

  @Test
  void badInputFailsWithTheLineAndTagsNothing() throws IOException {
    InvalidArgumentException unknown = assertThrows(InvalidArgumentException.class, () -> build("FROM base:1\nFORM x\n", Map.of(), "bad:1"));
    assertEquals("Dockerfile:2: unknown instruction: FORM", unknown.getMessage());
    StrataException failing = assertThrows(StrataException.class, () -> build("FROM base:1\nRUN echo boom; exit 3\n", Map.of(), "bad:1"));
    assertTrue(failing.getMessage().startsWith("Dockerfile:2: process \"/bin/sh -c echo boom; exit 3\" did not complete"
        + " successfully: exit code: 3"), failing.getMessage());
    assertTrue(failing.getMessage().contains("boom"));
    assertThrows(InvalidArgumentException.class, () -> build("FROM base:1\nCOPY missing.txt /\n", Map.of(), "bad:1"));
    assertThrows(InvalidArgumentException.class, () -> build("FROM base:1\nCOPY ../../etc/passwd /x\n", Map.of(), "bad:1"));
    assertThrows(InvalidArgumentException.class,
        () -> build("FROM base:1 AS a\nCOPY --from=b /x /x\nFROM base:1 AS b\nCOPY --from=a /y /y\n", Map.of(), "bad:1"));
    assertTrue(images.list(io.strata.image.ImageService.ListOptions.defaults()).stream()
        .noneMatch(i -> i.repoTags().stream().anyMatch(t -> t.startsWith("bad"))), "nothing tagged");
    assertTrue(images.fsck().problems().isEmpty());
  }

  @Test
  void runHeredocsRunAsScripts() throws IOException {
    build("FROM base:1\nRUN <<EOF\necho from heredoc > /h\nEOF\nRUN cat <<X > /x\nline\nX\n", Map.of(), "h:1");
    assertEquals("from heredoc\n", run("h:1", "cat", "/h"));
    assertEquals("line\n", run("h:1", "cat", "/x"));
    build("FROM base:1\nCOPY <<conf.txt /etc/app/\nkey=value\nconf.txt\n", Map.of(), "h:2");
    assertEquals("key=value\n", run("h:2", "cat", "/etc/app/conf.txt"));
  }

  @Test
  void contextSymlinksNeverReachTheHost() throws IOException {
    Path host = Files.createDirectories(tmp.resolve("host-secrets"));
    Files.writeString(host.resolve("secret"), "host secret");
    Files.createSymbolicLink(ctx.resolve("escape"), host); // absolute: resolves to <context>/<host path>
    Files.createSymbolicLink(ctx.resolve("up"), Path.of("../../.."));
    assertThrows(InvalidArgumentException.class, () -> build("FROM base:1\nCOPY escape/secret /s\n", Map.of(), "esc:1"));
    Files.createDirectories(ctx.resolve("tmp/host-secrets"));
    Files.writeString(ctx.resolve("tmp/host-secrets/secret"), "inside");
    // "up" climbs at most to the context root: up/tmp/host-secrets/secret is the context's own file
    build("FROM base:1\nCOPY up/tmp/host-secrets/secret /s\n", Map.of(), "esc:2");
    assertEquals("inside", run("esc:2", "cat", "/s"));
  }

  @Test
  void twoBuildsOnTwoEmptyStoresWithSourceDateEpochGiveTheSameImage() throws IOException {
    Files.writeString(ctx.resolve("f"), "content");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM base:1\nCOPY f /f\nRUN echo made > /g && mkdir -p /dir/sub\nCMD [\"cat\", \"/g\"]\n");
    BuildRequest req = new BuildRequest(ctx, null, List.of("repro:1"), Map.of(), null, false, Map.of(), 1_700_000_000L, Map.of());
    Digest first = new Builder(images, containers).build(req, new PrintStream(new ByteArrayOutputStream()), true);
    ByteArrayOutputStream base = new ByteArrayOutputStream();
    images.save(List.of("base:1"), io.strata.image.SaveFormat.DOCKER, base);
    try (ImageService other = ImageService.open(tmp.resolve("store2"))) {
      other.load(new java.io.ByteArrayInputStream(base.toByteArray()), io.strata.image.ProgressListener.NONE);
      Files.setLastModifiedTime(ctx.resolve("f"), java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
      Digest second = new Builder(other, Containers.open(other, null)).build(req, new PrintStream(new ByteArrayOutputStream()), true);
      assertEquals(first, second, "same context, same SOURCE_DATE_EPOCH, another empty store: the same image");
    }
  }

  @Test
  void addFetchesAUrlWithoutExtractingIt() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    byte[] tar = TarFixture.of(TarFixture.file("../escaped", "x", 0644)).bytes(); // hostile, but never extracted
    server.createContext("/files/remote.tar", ex -> {
      ex.sendResponseHeaders(200, tar.length);
      ex.getResponseBody().write(tar);
      ex.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/remote.tar";
      build("FROM base:1\nADD " + url + " /dl/\n", Map.of(), "url:1");
      assertEquals("600 " + tar.length, run("url:1", "stat", "-c", "%a %s", "/dl/remote.tar").strip());
    } finally {
      server.stop(0);
    }
  }

  /**
   * S24 (CVE-2024-24557): an image whose config and history claim to be what a build's steps make
   * (FROM scratch, then the same COPY) is never taken as the build's cache: cache entries are only
   * what strata's own steps recorded, keyed by verified content.
   */
  @Test
  void aForgedImageIsNeverTheBuildsCache() throws IOException {
    Files.writeString(ctx.resolve("f"), "good");
    io.strata.store.LayerRecord forged;
    try (io.strata.image.ImageAssembly forger = new io.strata.image.ImageAssembly(images)) {
      byte[] evil = TarFixture.of(TarFixture.file("f", "evil", 0644)).bytes();
      forged = forger.writeLayer(out -> {
        try {
          out.write(evil);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      io.strata.oci.ImageConfig config = io.strata.oci.ImageConfig.of(io.strata.oci.Platform.current())
          .withConfig(ContainerConfig.empty())
          .withLayer(forged.diffId(), new io.strata.oci.History(null, "COPY f /f # buildkit", null, null, false));
      forger.record(config, List.of(forged), List.of("forged:1"));
    }
    build("FROM scratch\nCOPY f /f\n", Map.of(), "real:1");
    assertFalse(f.output.toString().contains("Using cache"), f.output.toString());
    Image real = images.resolve("real:1");
    assertEquals(1, real.layers().size());
    assertNotEquals(forged.diffId(), real.layers().getFirst().diffId(), "the build made its own layer from the context");
  }

  @Test
  void builderPruneDropsDanglingCacheAndCacheMounts() throws IOException {
    Files.writeString(ctx.resolve("a"), "a");
    String df = "FROM base:1\nCOPY a /a\nRUN --mount=type=cache,target=/c sh -c 'echo x > /c/x && echo y > /y'\n";
    build(df, Map.of(), "p:1");
    BuildCacheAdmin admin = new BuildCacheAdmin(images.store());
    BuildCacheAdmin.Usage before = admin.usage();
    assertEquals(3, before.total(), "two layer entries and one cache mount");
    assertEquals(2, before.active());
    BuildCacheAdmin.Pruned kept = admin.prune(false);
    assertEquals(0, kept.entries(), "the image still has both layers: not dangling");
    assertEquals(1, kept.mounts());
    images.remove("p:1", false);
    assertEquals(2, admin.prune(false).entries());
    assertTrue(images.gc().reclaimedBytes() > 0, "the layers only the cache held are freed");
    build(df, Map.of(), "p:2");
    assertFalse(f.output.toString().contains("Using cache"), "nothing cached any more");
    assertTrue(images.fsck().problems().isEmpty());
  }

  /** Two stages that each wait for the other's file in a shared cache mount: they only finish when built side by side. */
  @Test
  void independentStagesBuildSideBySide() throws IOException {
    String wait = "i=0; while [ ! -e /r/%s ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i+1)); done; test -e /r/%s";
    build("FROM base:1 AS a\n"
        + "RUN --mount=type=cache,id=rendezvous,target=/r sh -c 'touch /r/a; " + wait.formatted("b", "b") + "; echo a > /made'\n"
        + "FROM base:1 AS b\n"
        + "RUN --mount=type=cache,id=rendezvous,target=/r sh -c 'touch /r/b; " + wait.formatted("a", "a") + "; echo b > /made'\n"
        + "FROM base:1\nCOPY --from=a /made /a\nCOPY --from=b /made /b\n", Map.of(), "side:1");
    assertEquals("a\n", run("side:1", "cat", "/a"));
    assertEquals("b\n", run("side:1", "cat", "/b"));
  }

  /** A stage that fails while another is running: its error is the build's, the other stops, nothing is left over. */
  @Test
  void aFailingStageStopsTheBuildCleanly() throws IOException {
    StrataException e = assertThrows(StrataException.class, () -> build("""
        FROM base:1 AS slow
        RUN sleep 1
        RUN echo never > /x
        FROM base:1 AS broken
        RUN exit 7
        FROM base:1
        COPY --from=slow /x /x
        COPY --from=broken /etc/passwd /p
        """, Map.of(), "fails:1"));
    assertTrue(e.getMessage().startsWith("Dockerfile:5: process \"/bin/sh -c exit 7\" did not complete successfully: exit code: 7"),
        e.getMessage());
    assertTrue(images.fsck().problems().isEmpty());
    try (var left = Files.list(images.store().root().resolve("builds"))) {
      assertEquals(List.of(), left.toList(), "every step of both stages was cleaned up");
    }
  }

  /** A COPY into a new path under directories a lower layer has: they keep their mode and owner and their other files. */
  @Test
  void copyUnderExistingDirectoriesKeepsThem() throws IOException {
    Files.writeString(ctx.resolve("f"), "new file");
    build("""
        FROM base:1
        RUN mkdir -p /opt/app && echo old > /opt/app/old && chmod 0711 /opt/app && chown 1000:1000 /opt/app
        COPY f /opt/app/new/f
        """, Map.of(), "copyup:1");
    assertEquals("711 1000 1000\n", run("copyup:1", "stat", "-c", "%a %u %g", "/opt/app"));
    assertEquals("old\n", run("copyup:1", "cat", "/opt/app/old"));
    assertEquals("new file", run("copyup:1", "cat", "/opt/app/new/f"));
    assertEquals("755 0 0\n", run("copyup:1", "stat", "-c", "%a %u %g", "/opt/app/new"));
  }

  @Test
  void fromScratchWithCopyOnly() throws IOException {
    Files.writeString(ctx.resolve("hello"), "static content");
    build("FROM scratch\nCOPY hello /hello\nCMD [\"/hello\"]\n", Map.of(), "scratchy:1");
    Image img = images.resolve("scratchy:1");
    assertEquals(1, img.layers().size());
    assertEquals(List.of("/hello"), img.config().value().configOrEmpty().cmd());
  }

  /** BuildKit (Docker 20.10's v0.8 and later) sets ArgsEscaped for any CMD and comments every entry it writes. */
  @Test
  void cmdSetsArgsEscapedAndEveryStepIsCommentedAsBuildKitDoes() throws IOException {
    Files.writeString(ctx.resolve("hello"), "static content");
    build("FROM scratch\nCOPY hello /hello\nENV A=1\nCMD exec /hello\n", Map.of(), "shellcmd:1");
    build("FROM scratch\nCOPY hello /hello\nENTRYPOINT [\"/hello\"]\n", Map.of(), "nocmd:1");
    assertEquals(Boolean.TRUE, images.resolve("shellcmd:1").config().value().configOrEmpty().argsEscaped());
    assertEquals(null, images.resolve("nocmd:1").config().value().configOrEmpty().argsEscaped());
    List<HistoryEntry> history = images.history("shellcmd:1");
    assertEquals(3, history.size(), history.toString());
    for (HistoryEntry h : history) assertEquals("buildkit.dockerfile.v0", h.comment(), h.toString());
  }
}
