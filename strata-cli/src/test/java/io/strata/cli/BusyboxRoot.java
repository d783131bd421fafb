package io.strata.cli;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static io.strata.testkit.TarFixture.symlink;

import io.strata.testkit.HostRequirements;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The container tests' root filesystem: the host's static busybox, root in /etc/passwd, the applets named, and any extra entries. */
final class BusyboxRoot {
  private BusyboxRoot() {}

  /** Writes it as {@code dir/bb.tar}, ready for {@code import}. */
  static Path tar(Path dir, List<String> applets, TarEntrySpec... extra) throws IOException {
    List<TarEntrySpec> entries = new ArrayList<>(List.of(dir("bin", 0755), dir("etc", 0755), dir("tmp", 01777),
        file("bin/busybox", Files.readAllBytes(HostRequirements.BUSYBOX), 0755),
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)));
    entries.addAll(Arrays.asList(extra));
    for (String a : applets) entries.add(symlink("busybox", "bin/" + a));
    return Files.write(dir.resolve("bb.tar"), TarFixture.of(entries).bytes());
  }
}
