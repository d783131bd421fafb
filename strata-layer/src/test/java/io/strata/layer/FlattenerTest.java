package io.strata.layer;

import static io.strata.testkit.TarFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.strata.errdefs.FailedPreconditionException;
import io.strata.oci.Digest;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlattenerTest {
  @Test
  void appliesLayersBottomUpAndReportsDiffIds(@TempDir Path dir) {
    TarFixture l1 = TarFixture.of(dir("etc", 0755), file("etc/a", "1", 0644), file("etc/b", "1", 0644));
    TarFixture l2 = TarFixture.of(file("etc/a", "2", 0644), whiteout("etc/b"));
    TarFixture l3 = TarFixture.of(file("etc/c", "3", 0644));
    List<Supplier<InputStream>> layers = List.of(l1::stream, l2::stream, l3::stream);
    List<ApplyResult> results = new Flattener().flatten(layers, dir, ApplyOptions.defaults());
    assertEquals(List.of(Digest.sha256(l1.bytes()), Digest.sha256(l2.bytes()), Digest.sha256(l3.bytes())),
        results.stream().map(ApplyResult::diffId).toList());
    var tree = TreeSnapshot.of(dir).entries();
    assertEquals(List.of("etc", "etc/a", "etc/c"), List.copyOf(tree.keySet()));
    assertEquals(Digest.sha256("2".getBytes()).hex(), tree.get("etc/a").sha256());
  }

  @Test
  void refusesANonEmptyDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("stale"), "x");
    Supplier<InputStream> layer = () -> new ByteArrayInputStream(TarFixture.of(file("f", "x", 0644)).bytes());
    assertThrows(FailedPreconditionException.class, () -> new Flattener().flatten(List.of(layer), dir, ApplyOptions.defaults()));
  }
}
