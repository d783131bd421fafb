package io.strata.layer;

import static io.strata.testkit.TarFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.strata.oci.Digest;
import io.strata.testkit.TarEntrySpec;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** TarWriter(tree) → LayerApplier into an empty dir gives the same tree, and the same tar again. */
class RoundTripTest {
  private final LayerApplier applier = new LayerApplier();
  private final TarWriter writer = new TarWriter();

  static Stream<Named<List<TarEntrySpec>>> trees() {
    return Stream.of(
        Named.of("files and dirs", List.of(
            dir("etc", 0755), file("etc/hosts", "127.0.0.1 localhost\n", 0644),
            dir("etc/empty", 0700), file("etc/secret", "s", 0600), file("empty", "", 0444))),
        Named.of("special modes", List.of(
            dir("tmp", 01777), file("bin/su", "#!", 04755), file("bin/wall", "#!", 02755), dir("bin", 0755))),
        Named.of("symlinks stored verbatim", List.of(
            symlink("/etc/hosts", "abs"), symlink("../../../../../../etc/ssl/cacerts", "deep/a/cacerts"),
            symlink("dangling", "d"), symlink("a//b/./c/", "odd"))),
        Named.of("long names and xattrs", List.of(
            file("x/" + "long-".repeat(40) + "name", "body", 0644).withXattr("user.comment", "hi"),
            symlink("t/" + "target-".repeat(30), "longlink"))),
        Named.of("owners", List.of(
            file("owned", "x", 0640).withUid(1000).withGid(1001), dir("d", 0750).withUid(33).withGid(33),
            symlink("owned", "link").withUid(5).withGid(6))),
        Named.of("devices and fifo", List.of(
            charDev("dev/null", 1, 3, 0666), blockDev("dev/sda", 8, 0, 0660), fifo("run/fifo", 0600))));
  }

  @ParameterizedTest
  @MethodSource("trees")
  void writtenTreeAppliesToTheSameTree(List<TarEntrySpec> entries, @TempDir Path tmp) throws Exception {
    Path first = Files.createDirectory(tmp.resolve("first"));
    applier.apply(TarFixture.of(entries).stream(), first, ApplyOptions.defaults());
    TreeSnapshot expected = TreeSnapshot.of(first);

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    writer.writeTree(first, tar, WriteOptions.defaults());
    Path second = Files.createDirectory(tmp.resolve("second"));
    ApplyResult r = applier.apply(new ByteArrayInputStream(tar.toByteArray()), second, ApplyOptions.defaults());

    TreeSnapshot actual = TreeSnapshot.of(second);
    assertEquals(List.of(), expected.diff(actual));
    assertEquals(List.of(), expected.mtimeDiff(actual));
    assertEquals(Digest.sha256(tar.toByteArray()), r.diffId());
    assertEquals(tar.size(), r.uncompressedSize());

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    writer.writeTree(second, again, WriteOptions.defaults());
    assertArrayEquals(tar.toByteArray(), again.toByteArray(), "tar of the applied tree is byte-identical");
  }

  @Test
  void hardlinksAreWrittenAsLinksToTheFirstPath(@TempDir Path tmp) throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    Files.writeString(src.resolve("b"), "shared");
    Files.createLink(src.resolve("a"), src.resolve("b"));
    Files.createLink(src.resolve("c"), src.resolve("b"));
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    writer.writeTree(src, tar, WriteOptions.defaults());
    Path dst = Files.createDirectory(tmp.resolve("dst"));
    ApplyResult r = applier.apply(new ByteArrayInputStream(tar.toByteArray()), dst, ApplyOptions.defaults());
    assertEquals(3, r.entries());
    Object ino = Files.getAttribute(dst.resolve("a"), "unix:ino", LinkOption.NOFOLLOW_LINKS);
    assertEquals(ino, Files.getAttribute(dst.resolve("b"), "unix:ino", LinkOption.NOFOLLOW_LINKS));
    assertEquals(ino, Files.getAttribute(dst.resolve("c"), "unix:ino", LinkOption.NOFOLLOW_LINKS));
    assertEquals(3, Files.getAttribute(dst.resolve("a"), "unix:nlink"));
    assertEquals(List.of(), TreeSnapshot.of(src).diff(TreeSnapshot.of(dst)));
  }
}
