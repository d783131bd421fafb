package io.strata.runtime;

import io.strata.oci.Healthcheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Docker's HEALTHCHECK, run by the container's monitor while the container runs: the test every
 * {@code Interval} (30 s) with its {@code Timeout} (30 s); {@code Retries} (3) failures in a row make
 * the container unhealthy, a success healthy; failures within {@code StartPeriod} do not count.
 * The state and the last five results are kept with the container, as {@code State.Health}.
 */
final class HealthProbe {
  static final int MAX_OUTPUT = 4096;
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final int DEFAULT_RETRIES = 3;

  private final Containers containers;
  private final ContainerStore table;

  HealthProbe(Containers containers, ContainerStore table) {
    this.containers = containers;
    this.table = table;
  }

  /** The test as argv, or null when there is none ({@code NONE}, or no healthcheck at all). */
  static List<String> command(Healthcheck h) {
    if (h == null || h.test().isEmpty()) return null;
    return switch (h.test().getFirst()) {
      case "CMD" -> h.test().size() > 1 ? h.test().subList(1, h.test().size()) : null;
      case "CMD-SHELL" -> h.test().size() > 1 ? List.of("/bin/sh", "-c", String.join(" ", h.test().subList(1, h.test().size()))) : null;
      default -> null; // NONE
    };
  }

  /** Probes the running container until {@code running} says it ended. */
  void watch(String id, Healthcheck h, BooleanSupplier running) {
    List<String> cmd = command(h);
    if (cmd == null) return;
    Duration interval = duration(h.interval(), DEFAULT_INTERVAL);
    Duration timeout = duration(h.timeout(), DEFAULT_TIMEOUT);
    Duration startPeriod = duration(h.startPeriod(), Duration.ZERO);
    int retries = h.retries() == null || h.retries() <= 0 ? DEFAULT_RETRIES : h.retries();
    Instant started = Instant.now();
    ContainerHealth health = ContainerHealth.STARTING;
    table.markHealth(id, health);
    while (sleep(interval, running)) {
      Container c = table.get(id).orElse(null);
      if (c == null || c.state() != ContainerState.RUNNING) continue; // paused: no probes, as Docker
      ContainerHealth.Probe r = containers.probe(c, cmd, timeout);
      if (!running.getAsBoolean()) return;
      String before = health.status();
      health = health.after(r, Duration.between(started, r.started()).compareTo(startPeriod) < 0, retries);
      table.markHealth(id, health);
      if (!health.status().equals(before)) table.journal(id, "health_status: " + health.status(), java.util.Map.of());
    }
  }

  private static boolean sleep(Duration d, BooleanSupplier running) {
    for (long end = System.nanoTime() + d.toNanos(); System.nanoTime() < end; ) {
      if (!running.getAsBoolean()) return false;
      try {
        Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        return false;
      }
    }
    return running.getAsBoolean();
  }

  private static Duration duration(Long nanos, Duration otherwise) {
    return nanos == null || nanos <= 0 ? otherwise : Duration.ofNanos(nanos);
  }

}
