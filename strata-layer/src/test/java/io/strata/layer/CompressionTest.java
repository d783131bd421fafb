package io.strata.layer;

import static io.strata.testkit.TarFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Digest;
import io.strata.testkit.TarFixture;
import io.strata.testkit.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CompressionTest {
  private static final byte[] TAR = TarFixture.of(dir("etc", 0755), file("etc/hosts", "127.0.0.1 localhost\n", 0644),
      file("big", "0123456789".repeat(100_000), 0644)).bytes();

  static byte[] compress(Compression c, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream o = c.compress(out)) {
      o.write(data);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void detectAndDecompressRoundTrip(Compression c) throws IOException {
    byte[] blob = compress(c, TAR);
    assertEquals(c, Compression.detect(Arrays.copyOf(blob, 4)));
    assertArrayEquals(TAR, Compression.decompressing(new ByteArrayInputStream(blob)).readAllBytes());
    assertArrayEquals(TAR, c.decompress(new ByteArrayInputStream(blob)).readAllBytes());
    if (c != Compression.NONE) assertTrue(blob.length < TAR.length / 10, "compressed");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void diffIdIsTheDigestOfTheUncompressedStream(Compression c, @TempDir Path root) throws IOException {
    byte[] blob = compress(c, TAR);
    LayerDigests d = DiffIds.digest(new ByteArrayInputStream(blob));
    assertEquals(new LayerDigests(Digest.sha256(TAR), TAR.length, c), d);
    ApplyResult r = new LayerApplier().apply(new ByteArrayInputStream(blob), root, ApplyOptions.defaults());
    assertEquals(new ApplyResult(Digest.sha256(TAR), TAR.length, 3), r);
    assertEquals("127.0.0.1 localhost\n", Files.readString(root.resolve("etc/hosts")));
  }

  @Test
  void concatenatedGzipMembersAreOneStream(@TempDir Path root) throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    byte[] empty = compress(Compression.GZIP, new byte[0]);
    for (int i = 0; i < 100_000; i++) blob.writeBytes(empty); // S17: many empty members, bounded time
    blob.writeBytes(compress(Compression.GZIP, Arrays.copyOf(TAR, 1000)));
    blob.writeBytes(compress(Compression.GZIP, Arrays.copyOfRange(TAR, 1000, TAR.length)));
    ApplyResult r = new LayerApplier().apply(new ByteArrayInputStream(blob.toByteArray()), root, ApplyOptions.defaults());
    assertEquals(Digest.sha256(TAR), r.diffId());
    assertEquals(List.of("big", "etc", "etc/hosts"), List.copyOf(TreeSnapshot.of(root).entries().keySet()));
  }

  @Test
  void concatenatedZstdFramesAreOneStream(@TempDir Path root) throws IOException {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    blob.writeBytes(compress(Compression.ZSTD, Arrays.copyOf(TAR, 700)));
    blob.writeBytes(compress(Compression.ZSTD, Arrays.copyOfRange(TAR, 700, TAR.length)));
    ApplyResult r = new LayerApplier().apply(new ByteArrayInputStream(blob.toByteArray()), root, ApplyOptions.defaults());
    assertEquals(Digest.sha256(TAR), r.diffId());
    assertEquals(new LayerDigests(Digest.sha256(TAR), TAR.length, Compression.ZSTD),
        DiffIds.digest(new ByteArrayInputStream(blob.toByteArray())));
  }

  @Test
  void bytesAfterTheEndBlocksArePartOfTheDiffId(@TempDir Path root) {
    byte[] tar = TarFixture.of(file("f", "x", 0644)).withTrailingBytes("trailing junk".getBytes()).bytes();
    ApplyResult r = new LayerApplier().apply(new ByteArrayInputStream(tar), root, ApplyOptions.defaults());
    assertEquals(Digest.sha256(tar), r.diffId());
    assertEquals(tar.length, r.uncompressedSize());
    assertEquals(DiffIds.digest(new ByteArrayInputStream(tar)).diffId(), r.diffId());
  }

  @Test
  void truncatedGzipIsRejected(@TempDir Path root) throws IOException {
    byte[] blob = compress(Compression.GZIP, TAR);
    byte[] cut = Arrays.copyOf(blob, blob.length / 2);
    var e = assertThrows(InvalidArgumentException.class,
        () -> new LayerApplier().apply(new ByteArrayInputStream(cut), root, ApplyOptions.defaults()));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void gzipHeaderFieldsAreSkippedAndTrailersVerified(@TempDir Path root) throws IOException {
    byte[] member = compress(Compression.GZIP, TAR);
    ByteArrayOutputStream withName = new ByteArrayOutputStream();
    withName.write(new byte[] {0x1f, (byte) 0x8b, 8, 8 | 16, 0, 0, 0, 0, 0, (byte) 255});
    withName.write("n".repeat(4 << 20).getBytes()); // a 4 MiB FNAME field is skipped, never buffered
    withName.write(0);
    withName.write("comment".getBytes());
    withName.write(0);
    withName.write(member, 10, member.length - 10);
    assertArrayEquals(TAR, Compression.decompressing(new ByteArrayInputStream(withName.toByteArray())).readAllBytes());

    byte[] badCrc = member.clone();
    badCrc[badCrc.length - 8] ^= 1;
    var e = assertThrows(InvalidArgumentException.class,
        () -> new LayerApplier().apply(new ByteArrayInputStream(badCrc), root, ApplyOptions.defaults()));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());

    byte[] garbage = Arrays.copyOf(member, member.length + 3);
    e = assertThrows(InvalidArgumentException.class,
        () -> new LayerApplier().apply(new ByteArrayInputStream(garbage), Files.createTempDirectory(root, "g"), ApplyOptions.defaults()));
    assertTrue(e.getMessage().contains("garbage after gzip member"), e.getMessage());
  }

  /** S17 on the path that only hashes (load, import): the bound stops the bomb, not the disk. */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD"})
  void diffIdComputationIsBounded(Compression c) throws IOException {
    byte[] bomb = compress(c, new byte[8 << 20]);
    assertTrue(bomb.length < 64 << 10, "8 MiB of zeros compress to " + bomb.length + " bytes");
    var e = assertThrows(io.strata.errdefs.ResourceExhaustedException.class,
        () -> DiffIds.digest(new ByteArrayInputStream(bomb), 1 << 20));
    assertTrue(e.getMessage().contains("more than 1048576 bytes"), e.getMessage());
    assertEquals(8 << 20, DiffIds.digest(new ByteArrayInputStream(bomb), 8 << 20).uncompressedSize());
  }

  @Test
  void mediaTypes() {
    assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", Compression.GZIP.layerMediaType(true));
    assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", Compression.GZIP.layerMediaType(false));
    assertEquals("application/vnd.oci.image.layer.v1.tar+zstd", Compression.ZSTD.layerMediaType(true));
    assertEquals("application/vnd.oci.image.layer.v1.tar", Compression.NONE.layerMediaType(true));
    for (Compression c : Compression.values()) {
      assertEquals(c, Compression.fromMediaType(c.layerMediaType(true)));
      assertEquals(c, Compression.fromMediaType(c.layerMediaType(false)));
    }
  }
}
