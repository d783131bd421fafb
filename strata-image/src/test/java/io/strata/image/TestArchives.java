package io.strata.image;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;

import io.strata.oci.Digest;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds small images and archives of them (docker-archive as docker 20.10 writes it) for tests. */
final class TestArchives {
  /** An image: its config bytes, its layer blobs as they go into the archive, and its tags. */
  record TestImage(byte[] config, List<byte[]> layers, List<Digest> diffIds, List<String> tags) {
    Digest id() {
      return Digest.sha256(config);
    }
  }

  private TestArchives() {}

  static byte[] base() {
    return TarFixture.of(dir("bin", 0755), file("bin/sh", "#!shell\n", 0755), dir("etc", 0755),
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)).bytes();
  }

  static byte[] app(String body) {
    return TarFixture.of(dir("app", 0755), file("app/main", body, 0644)).bytes();
  }

  /** An image over uncompressed layer tars; {@code gzip} compresses the blobs in the archive. */
  static TestImage image(List<byte[]> tars, boolean gzip, String... tags) {
    List<Digest> diffIds = tars.stream().map(Digest::sha256).toList();
    StringBuilder history = new StringBuilder();
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < diffIds.size(); i++) {
      if (i > 0) {
        ids.append(',');
        history.append(',');
      }
      ids.append('"').append(diffIds.get(i)).append('"');
      history.append("{\"created\":\"2024-01-0").append(i + 1).append("T00:00:00Z\",\"created_by\":\"step ").append(i)
          .append("\"}");
    }
    history.append(",{\"created\":\"2024-02-01T00:00:00Z\",\"created_by\":\"CMD [\\\"/bin/sh\\\"]\",\"empty_layer\":true}");
    String config = "{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"/bin/sh\"],\"Env\":[\"PATH=/bin\"]},"
        + "\"created\":\"2024-02-01T00:00:00Z\",\"history\":[" + history + "],\"os\":\"linux\","
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + ids + "]}}";
    List<byte[]> blobs = gzip ? tars.stream().map(TestArchives::gzip).toList() : tars;
    return new TestImage(config.getBytes(StandardCharsets.UTF_8), blobs, diffIds, List.of(tags));
  }

  /** docker 20.10's layout: {@code <hex>.json} configs, {@code <n>/layer.tar}, manifest.json last (or first). */
  static byte[] dockerArchive(boolean manifestFirst, TestImage... images) {
    Map<String, byte[]> members = new LinkedHashMap<>();
    StringBuilder manifest = new StringBuilder("[");
    for (TestImage img : images) {
      if (manifest.length() > 1) manifest.append(',');
      String configName = img.id().encoded() + ".json";
      members.put(configName, img.config());
      List<String> layerNames = new ArrayList<>();
      for (byte[] blob : img.layers()) {
        String name = Digest.sha256(blob).encoded() + "/layer.tar";
        members.put(name, blob);
        layerNames.add("\"" + name + "\"");
      }
      manifest.append("{\"Config\":\"").append(configName).append("\",\"RepoTags\":")
          .append(img.tags().isEmpty() ? "null" : "[\"" + String.join("\",\"", img.tags()) + "\"]")
          .append(",\"Layers\":[").append(String.join(",", layerNames)).append("]}");
    }
    manifest.append(']');
    return tar(manifestFirst, members, manifest.toString().getBytes(StandardCharsets.UTF_8));
  }

  static byte[] tar(boolean manifestFirst, Map<String, byte[]> members, byte[] manifest) {
    Map<String, byte[]> all = new LinkedHashMap<>();
    if (manifestFirst) all.put("manifest.json", manifest);
    all.putAll(members);
    if (!manifestFirst) all.put("manifest.json", manifest);
    return tar(all);
  }

  static byte[] tar(Map<String, byte[]> members) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(m.getKey());
        e.setSize(m.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(m.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Member name → bytes of a tar archive (regular files only). */
  static Map<String, byte[]> members(byte[] tar) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isFile()) {
          if (out.containsKey(e.getName())) throw new AssertionError("member written twice: " + e.getName());
          out.put(e.getName(), in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
