package io.strata.image;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;
import static io.strata.testkit.TarFixture.whiteout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.ApplyOptions;
import io.strata.layer.LayerApplier;
import io.strata.oci.ContainerConfig;
import io.strata.oci.History;
import io.strata.oci.Platform;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import (with -c changes and -m) and image export (flattened root filesystem). */
class ImportExportTest {
  @TempDir Path tmp;
  ImageService service;

  @BeforeEach
  void open() {
    service = ImageService.open(tmp.resolve("store"));
  }

  @AfterEach
  void close() {
    service.close();
  }

  @Test
  void importAppliesChangesAndWritesDockersHistory() {
    byte[] rootfs = TestArchives.base();
    Image image = service.importTar(new ByteArrayInputStream(TestArchives.gzip(rootfs)), List.of(
        "CMD echo hello", "ENTRYPOINT [\"/bin/sh\", \"-c\"]", "ENV A=1 B=\"two words\"", "ENV C three",
        "EXPOSE 80 53/udp", "LABEL org.x=y", "USER nobody", "WORKDIR /app", "WORKDIR sub", "VOLUME /data",
        "ONBUILD RUN true", "STOPSIGNAL SIGTERM"), null, "imported:1", Platform.current());
    assertEquals(List.of("imported:1"), image.repoTags());
    ContainerConfig c = image.config().value().config();
    assertEquals(List.of("/bin/sh", "-c", "echo hello"), c.cmd());
    assertEquals(List.of("/bin/sh", "-c"), c.entrypoint());
    assertEquals(List.of("A=1", "B=two words", "C=three"), c.env());
    assertEquals(Map.of("80/tcp", Map.of(), "53/udp", Map.of()), c.exposedPorts());
    assertEquals(Map.of("org.x", "y"), c.labels());
    assertEquals("nobody", c.user());
    assertEquals("/app/sub", c.workingDir());
    assertEquals(Map.of("/data", Map.of()), c.volumes());
    assertEquals(List.of("RUN true"), c.onBuild());
    assertEquals("SIGTERM", c.stopSignal());
    History h = image.config().value().history().getFirst();
    assertEquals("Imported from -", h.comment());
    assertEquals(null, h.createdBy());
    // stored uncompressed: blob digest = diffID
    assertEquals(image.layers().getFirst().diffId(), image.layers().getFirst().blobDigest());
    assertEquals(rootfs.length, image.size());
    assertEquals(Platform.current().architecture(), image.config().value().architecture());
    assertEquals("Imported from -", service.history("imported:1").getFirst().comment());
    assertEquals("Imported from -", service.inspect("imported:1").comment(), "docker's top-level config comment");
  }

  @Test
  void importMessageBecomesTheComment() {
    Image image = service.importTar(new ByteArrayInputStream(TestArchives.base()), List.of(), "my message", null, null);
    assertEquals("my message", service.history(image.id().toString()).getFirst().comment());
    assertTrue(image.repoTags().isEmpty());
  }

  @Test
  void badChangesAndNonTarInputFailAndLeaveNothing() {
    StoreState before = StoreState.of(service);
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> service.importTar(
        new ByteArrayInputStream(TestArchives.base()), List.of("RUN rm -rf /"), null, null, null));
    assertEquals("import: change \"RUN rm -rf /\": RUN is not a valid change command", e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> service.importTar(
        new ByteArrayInputStream("definitely not a tar archive, but long enough to look at".repeat(20).getBytes()),
        List.of(), null, null, null));
    before.assertUnchanged(service);
  }

  @Test
  void exportEqualsTheAppliedLayers() throws IOException {
    byte[] lower = TarFixture.of(dir("etc", 0755), file("etc/os-release", "ID=test\n", 0644), dir("tmp", 01777),
        file("etc/gone", "x", 0600), symlink("os-release", "etc/link")).bytes();
    byte[] upper = TarFixture.of(dir("etc", 0755), whiteout("etc/gone"), file("etc/new", "new\n", 0640)).bytes();
    var img = TestArchives.image(List.of(lower, upper), true, "flat:1");
    service.load(new ByteArrayInputStream(TestArchives.dockerArchive(false, img)), ProgressListener.NONE);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    service.export("flat:1", out);
    Path fromExport = Files.createDirectory(tmp.resolve("from-export"));
    new LayerApplier().apply(new ByteArrayInputStream(out.toByteArray()), fromExport, ApplyOptions.defaults());
    Path expected = Files.createDirectory(tmp.resolve("expected"));
    for (byte[] layer : List.of(lower, upper)) {
      new LayerApplier().apply(new ByteArrayInputStream(layer), expected, ApplyOptions.defaults());
    }
    List<String> diff = TreeSnapshot.of(expected).diff(TreeSnapshot.of(fromExport));
    assertEquals(List.of(), diff);
    assertTrue(Files.exists(fromExport.resolve("etc/new")));
    assertTrue(Files.notExists(fromExport.resolve("etc/gone")));
    try (var scratch = Files.list(service.store().tmpDir())) {
      assertEquals(0, scratch.count(), "scratch directory removed");
    }
  }
}
