package io.strata.runtime;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.runtime.spec.HostConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flags of {@code create} and {@code run} about the process's privileges and limits
 * ({@link HostConfig}), and the container's labels ({@code --label}, {@code --label-file}) and stop
 * settings ({@code --stop-signal}, {@code --stop-timeout}). The labels and the signal are merged into
 * the container's {@link ContainerSpec#labels()} and {@link ContainerSpec#stopSignal()} over the
 * image's; the rest is kept as given.
 */
public record ContainerOptions(HostConfig host, @JsonIgnore Map<String, String> labels, @JsonIgnore String stopSignal,
    Integer stopTimeout) {
  public static final ContainerOptions DEFAULT = new ContainerOptions(HostConfig.NONE, Map.of(), null, null);

  /** Docker's grace period for {@code stop} when neither the container nor the command gives one. */
  static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  public ContainerOptions {
    host = host == null ? HostConfig.NONE : host;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  ContainerOptions withHost(HostConfig h) {
    return new ContainerOptions(h, labels, stopSignal, stopTimeout);
  }

  /** The daemon's check of {@code --stop-signal}; the host config's are the bundle's ({@code BundleWriter.validate}). */
  void check() {
    if (stopSignal != null && !stopSignal.isEmpty()) Signals.parse(stopSignal);
  }

  /** The image's labels with these over them. */
  Map<String, String> labels(Map<String, String> image) {
    Map<String, String> out = new LinkedHashMap<>(image == null ? Map.of() : image);
    out.putAll(labels);
    return out;
  }

  String stopSignal(String image) {
    return stopSignal != null && !stopSignal.isEmpty() ? stopSignal : image;
  }

  /** As the daemon keeps them: the resources adjusted, the request-only fields dropped. */
  ContainerOptions kept() {
    return new ContainerOptions(host.adapted(), Map.of(), null, stopTimeout);
  }

  /** {@code stop}'s grace period without {@code -t}: {@code --stop-timeout}, else 10 s; a negative one waits without end. */
  Duration stopGrace() {
    if (stopTimeout == null) return DEFAULT_STOP_TIMEOUT;
    return stopTimeout < 0 ? Duration.ofDays(36500) : Duration.ofSeconds(stopTimeout);
  }
}
