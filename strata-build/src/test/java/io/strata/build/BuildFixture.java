package io.strata.build;

import io.strata.image.ImageService;
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

/** A temporary store with {@code base:1}, a busybox image made from the host's static busybox, and a context directory. */
final class BuildFixture implements AutoCloseable {
  final Path tmp;
  final ImageService images;
  final Containers containers;
  final Path ctx;
  ByteArrayOutputStream output = new ByteArrayOutputStream();

  BuildFixture(Path tmp) throws IOException {
    HostRequirements.containers();
    this.tmp = tmp;
    images = ImageService.open(tmp.resolve("store"));
    containers = Containers.open(images, null);
    List<TarEntrySpec> e = new ArrayList<>(List.of(TarFixture.dir("bin/", 0755), TarFixture.dir("etc/", 0755),
        TarFixture.dir("tmp/", 01777), TarFixture.file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
        TarFixture.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n", 0644),
        TarFixture.file("etc/group", "root:x:0:\napp:x:1000:\n", 0644)));
    for (String a : List.of("sh", "echo", "cat", "rm", "mkdir", "ls", "id", "touch", "stat", "true", "false", "ln", "sleep", "test", "chmod", "chown")) {
      e.add(TarFixture.symlink("busybox", "bin/" + a));
    }
    images.importTar(TarFixture.of(e).stream(), List.of("CMD [\"sh\"]"), null, "base:1", null);
    ctx = Files.createDirectories(tmp.resolve("ctx"));
  }

  Digest build(String dockerfile, Map<String, String> args, String... tags) throws IOException {
    return build(dockerfile, args, Map.of(), tags);
  }

  Digest build(String dockerfile, Map<String, String> args, Map<String, byte[]> secrets, String... tags) throws IOException {
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    output = new ByteArrayOutputStream();
    return new Builder(images, containers).build(
        new BuildRequest(ctx, null, List.of(tags), args, null, false, Map.of(), null, secrets), new PrintStream(output, true), false);
  }

  /** Runs {@code cmd} (or the image's command) in a new container of {@code image}; returns its output. */
  String run(String image, String... cmd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    var c = containers.create(new io.strata.runtime.CreateRequest(image, null, null, List.of(cmd), List.of(), null, null,
        null, false, false, false, null, List.of(), true));
    containers.runAttached(c, new io.strata.runtime.Attach(null, out, out, false));
    return out.toString();
  }

  @Override
  public void close() {
    images.close();
  }
}
