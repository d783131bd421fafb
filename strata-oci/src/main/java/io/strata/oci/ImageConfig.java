package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The image config (OCI {@code application/vnd.oci.image.config.v1+json}, Docker
 * {@code application/vnd.docker.container.image.v1+json}); its digest is the image ID.
 * {@code created} stays the RFC 3339 text as stored; {@link #createdInstant()} parses it.
 */
@JsonPropertyOrder({"created", "author", "architecture", "os", "os.version", "variant", "config", "rootfs", "history"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageConfig(
    @JsonProperty("created") String created,
    @JsonProperty("author") String author,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("variant") String variant,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("config") ContainerConfig config,
    @JsonProperty("rootfs") RootFs rootfs,
    @JsonProperty("history") List<History> history) {

  public ImageConfig {
    history = Values.list(history, "config history");
  }

  /** A new config for {@code platform} with no layers, history or runtime defaults. */
  public static ImageConfig of(Platform platform) {
    return new ImageConfig(null, null, platform.architecture(), platform.os(), platform.variant(),
        platform.osVersion(), null, RootFs.of(List.of()), null);
  }

  /** {@code created} as an instant; null when absent or not RFC 3339. */
  public Instant createdInstant() {
    if (created == null || created.isEmpty()) return null;
    try {
      return OffsetDateTime.parse(created).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The platform this config says it is for. */
  public Platform platform() {
    return new Platform(architecture == null ? "" : architecture, os == null ? "" : os, osVersion, null, variant);
  }

  /** The runtime defaults, never null. */
  public ContainerConfig configOrEmpty() {
    return config == null ? ContainerConfig.empty() : config;
  }

  /** The diffIDs, bottom first; empty when there is no rootfs. */
  public List<Digest> diffIds() {
    return rootfs == null ? List.of() : rootfs.diffIds();
  }

  public ImageConfig withCreated(String created) {
    return new ImageConfig(created, author, architecture, os, variant, osVersion, config, rootfs, history);
  }

  /** {@code created} written as Docker writes it: RFC 3339 in UTC with nanoseconds when non-zero. */
  public ImageConfig withCreated(Instant created) {
    return withCreated(created == null ? null : created.toString());
  }

  public ImageConfig withAuthor(String author) {
    return new ImageConfig(created, author, architecture, os, variant, osVersion, config, rootfs, history);
  }

  public ImageConfig withPlatform(Platform p) {
    return new ImageConfig(created, author, p.architecture(), p.os(), p.variant(), p.osVersion(), config, rootfs, history);
  }

  public ImageConfig withConfig(ContainerConfig config) {
    return new ImageConfig(created, author, architecture, os, variant, osVersion, config, rootfs, history);
  }

  public ImageConfig withRootFs(RootFs rootfs) {
    return new ImageConfig(created, author, architecture, os, variant, osVersion, config, rootfs, history);
  }

  public ImageConfig withHistory(List<History> history) {
    return new ImageConfig(created, author, architecture, os, variant, osVersion, config, rootfs, history);
  }

  /** Appends one layer: its diffID to rootfs and its history entry (commit, import, build step). */
  public ImageConfig withLayer(Digest diffId, History entry) {
    RootFs base = rootfs == null ? RootFs.of(List.of()) : rootfs;
    return withRootFs(base.withDiffId(diffId)).withHistoryEntry(entry);
  }

  public ImageConfig withHistoryEntry(History entry) {
    List<History> more = history == null ? new ArrayList<>() : new ArrayList<>(history);
    more.add(entry);
    return withHistory(more);
  }
}
