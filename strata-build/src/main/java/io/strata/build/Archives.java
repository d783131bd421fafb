package io.strata.build;

import io.strata.layer.ApplyOptions;
import io.strata.layer.LayerApplier;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ADD's local archives: a tar, plain or compressed (gzip, zstd; what the layer applier reads), is
 * extracted into the destination, with the applier's defences against hostile entries (S36).
 */
final class Archives {
  private Archives() {}

  static boolean isArchive(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      byte[] head = in.readNBytes(512);
      if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return true; // gzip
      if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
          && (head[3] & 0xff) == 0xfd) return true; // zstd
      return head.length >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
    }
  }

  static void extract(Path archive, Path dest) throws IOException {
    try (InputStream in = Files.newInputStream(archive)) {
      new LayerApplier().apply(in, dest, ApplyOptions.defaults());
    }
  }
}
