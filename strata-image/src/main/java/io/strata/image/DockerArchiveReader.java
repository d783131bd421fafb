package io.strata.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import io.strata.oci.ImageConfig;
import io.strata.oci.Json;
import io.strata.oci.Manifests;
import io.strata.oci.MediaTypes;
import io.strata.oci.Parsed;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's archive format ({@code docker save}, skopeo {@code docker-archive:}): {@code manifest.json}
 * lists each image's config member, {@code RepoTags} and layer members, bottom first.
 */
final class DockerArchiveReader {
  static final String MANIFEST = "manifest.json";
  private static final int MAX_IMAGES = 10_000;

  private DockerArchiveReader() {}

  static List<LoadCandidate> read(ArchiveMembers members) {
    ArchiveMembers.Member file = members.find(MANIFEST).orElseThrow();
    JsonNode root = Json.readTree(members.bytes(file), "load: " + MANIFEST);
    if (!root.isArray()) throw invalid("expected a JSON array of images");
    if (root.size() > MAX_IMAGES) throw new ResourceExhaustedException("load: " + MANIFEST + ": more than " + MAX_IMAGES + " images");
    List<LoadCandidate> images = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) images.add(image(members, root.get(i), i));
    return images;
  }

  private static LoadCandidate image(ArchiveMembers members, JsonNode entry, int index) {
    if (!entry.isObject()) throw invalid("image " + index + ": expected an object");
    String configPath = string(entry.get("Config"), "image " + index + ": Config");
    ArchiveMembers.Member configMember = members.find(configPath)
        .orElseThrow(() -> invalid("config " + ImageNames.quote(configPath) + " not found in archive"));
    Parsed<ImageConfig> config = parseConfig(members.bytes(configMember), configPath);
    List<LoadCandidate.LayerSource> layers = new ArrayList<>();
    for (String layerPath : strings(entry.get("Layers"), "image " + index + ": Layers")) {
      ArchiveMembers.Member m = members.find(layerPath)
          .filter(f -> f.blob() != null)
          .orElseThrow(() -> invalid("layer " + ImageNames.quote(layerPath) + " not found in archive"));
      layers.add(new LoadCandidate.LayerSource(layerPath, m.blob(), null));
    }
    List<String> tags = new ArrayList<>();
    for (String tag : strings(entry.get("RepoTags"), "image " + index + ": RepoTags")) {
      tags.add(ImageNames.tagReference(tag, "load: " + MANIFEST + ": RepoTags").toString());
    }
    return new LoadCandidate(MANIFEST + ": image " + ImageNames.quote(configPath), null, config, layers, tags);
  }

  private static Parsed<ImageConfig> parseConfig(byte[] bytes, String path) {
    try {
      return Manifests.parseConfig(bytes, MediaTypes.DOCKER_CONFIG);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("load: " + path + ": " + e.getMessage(), e);
    }
  }

  private static String string(JsonNode node, String what) {
    if (node == null || !node.isTextual() || node.asText().isEmpty()) throw invalid(what + " must be a non-empty string");
    return node.asText();
  }

  /** A JSON array of strings; absent or null is empty (docker writes {@code "RepoTags": null}). */
  private static List<String> strings(JsonNode node, String what) {
    if (node == null || node.isNull()) return List.of();
    if (!node.isArray()) throw invalid(what + " must be an array of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) out.add(string(n, what));
    return out;
  }

  private static InvalidArgumentException invalid(String what) {
    return new InvalidArgumentException("load: " + MANIFEST + ": " + what);
  }
}
