package io.strata.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Docker's {@code State.Health}: starting, healthy or unhealthy, the failures in a row, the last five probes. */
public record ContainerHealth(@JsonProperty("Status") String status, @JsonProperty("FailingStreak") int failingStreak,
    @JsonProperty("Log") List<Probe> log) {
  static final ContainerHealth STARTING = new ContainerHealth("starting", 0, List.of());
  private static final int KEPT = 5;

  /** One probe: Docker's {@code State.Health.Log} entry. */
  public record Probe(@JsonProperty("Start") String start, @JsonProperty("End") String end,
      @JsonProperty("ExitCode") int exitCode, @JsonProperty("Output") String output) {
    Probe(Instant start, Instant end, int exitCode, String output) {
      this(start.toString(), end.toString(), exitCode, output);
    }

    Instant started() {
      return Instant.parse(start);
    }
  }

  public ContainerHealth {
    log = log == null ? List.of() : List.copyOf(log);
  }

  /** After {@code p}: a success is healthy; {@code retries} failures in a row unhealthy, unless in the start period. */
  ContainerHealth after(Probe p, boolean inStartPeriod, int retries) {
    List<Probe> kept = new ArrayList<>(log);
    kept.add(p);
    while (kept.size() > KEPT) kept.removeFirst();
    if (p.exitCode() == 0) return new ContainerHealth("healthy", 0, kept);
    if (inStartPeriod && !status.equals("healthy")) return new ContainerHealth(status, failingStreak, kept);
    int streak = failingStreak + 1;
    return new ContainerHealth(streak >= retries ? "unhealthy" : status, streak, kept);
  }
}
