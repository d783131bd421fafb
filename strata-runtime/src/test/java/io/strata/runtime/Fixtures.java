package io.strata.runtime;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;

import io.strata.image.Image;
import io.strata.image.ImageService;
import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** A busybox image made from the host's static busybox, and helpers to run containers of it. */
final class Fixtures {
  static final List<String> APPLETS = List.of("sh", "ls", "cat", "echo", "id", "rm", "mkdir", "sleep", "touch",
      "true", "false", "pwd", "dd", "sync", "wc", "stat", "mv", "ln");

  private Fixtures() {}

  static List<TarEntrySpec> busyboxRoot() {
    try {
      List<TarEntrySpec> e = new ArrayList<>(List.of(dir("bin/", 0755), dir("etc/", 0755), dir("tmp/", 01777),
          dir("root/", 0700), file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
          file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/tmp:/bin/sh\n", 0644),
          file("etc/group", "root:x:0:\napp:x:1000:\n", 0644),
          file("etc/motd", "lower layer file\n", 0644)));
      for (String a : APPLETS) e.add(symlink("busybox", "bin/" + a));
      return e;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static Image busybox(ImageService images, String ref, List<String> changes, List<TarEntrySpec> extra) {
    List<TarEntrySpec> entries = new ArrayList<>(busyboxRoot());
    entries.addAll(extra);
    return images.importTar(TarFixture.of(entries).stream(), changes, null, ref, null);
  }

  record Result(int exitCode, String out, String err) {}

  static CreateRequest request(String image, String... cmd) {
    return new CreateRequest(image, null, null, List.of(cmd), List.of(), null, null, null, false, false, false, "none",
        List.of(), false);
  }

  /** Creates and runs a container in the foreground, capturing its output. */
  static Result run(Containers containers, CreateRequest req) {
    Container c = containers.create(req);
    return attach(containers, c);
  }

  static Result attach(Containers containers, Container c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = containers.runAttached(c, new Attach(null, out, err, false));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
