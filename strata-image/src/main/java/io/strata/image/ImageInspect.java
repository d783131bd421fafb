package io.strata.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code docker image inspect}'s JSON shape (Engine API ImageInspect), field names as docker
 * writes them (Config and ContainerConfig: {@link DockerConfigView}). Serialise with {@code Json.mapper()}. {@code Created} is the config's RFC 3339 text.
 */
@JsonPropertyOrder({"Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "Container", "ContainerConfig", "DockerVersion", "Author",
    "Config", "Architecture", "Variant", "Os", "OsVersion", "Size", "VirtualSize", "RootFS", "Metadata"})
public record ImageInspect(
    @JsonProperty("Id") String id,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("RepoDigests") List<String> repoDigests,
    @JsonProperty("Parent") String parent,
    @JsonProperty("Comment") String comment,
    @JsonProperty("Created") String created,
    @JsonProperty("Container") String container,
    @JsonProperty("ContainerConfig") ObjectNode containerConfig,
    @JsonProperty("DockerVersion") String dockerVersion,
    @JsonProperty("Author") String author,
    @JsonProperty("Config") ObjectNode config,
    @JsonProperty("Architecture") String architecture,
    @JsonProperty("Variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
    @JsonProperty("Os") String os,
    @JsonProperty("OsVersion") @JsonInclude(JsonInclude.Include.NON_EMPTY) String osVersion,
    @JsonProperty("Size") long size,
    @JsonProperty("RootFS") RootFs rootFs,
    @JsonProperty("Metadata") Metadata metadata) {

  /** Docker 20.10 prints the size twice ({@code VirtualSize}, deprecated, equals {@code Size}). */
  @JsonProperty("VirtualSize")
  public long virtualSize() {
    return size;
  }

  public ImageInspect {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
  }

  /** {@code RootFS}: type {@code layers} and the diffIDs, bottom first. */
  public record RootFs(@JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {}

  /** {@code Metadata.LastTagTime}: RFC 3339, docker's zero time when never tagged. */
  public record Metadata(@JsonProperty("LastTagTime") String lastTagTime) {}
}
