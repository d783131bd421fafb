package io.strata.runtime;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.errdefs.InvalidArgumentException;
import io.strata.oci.Healthcheck;
import java.time.Duration;
import java.util.List;

/**
 * How a container's starts are managed: Docker's {@code --restart}, and the healthcheck flags
 * ({@code --health-cmd}, {@code --health-interval}, {@code --health-timeout}, {@code --health-retries},
 * {@code --health-start-period}, {@code --no-healthcheck}) that override the image's HEALTHCHECK. Only
 * the policy is kept with the container: the flags become its {@link ContainerSpec#healthcheck()}.
 */
public record RunOptions(String restart, @JsonIgnore String healthCmd, @JsonIgnore Duration healthInterval,
    @JsonIgnore Duration healthTimeout, @JsonIgnore Integer healthRetries, @JsonIgnore Duration healthStartPeriod,
    @JsonIgnore boolean noHealthcheck) {
  public static final RunOptions DEFAULT = new RunOptions("no");

  public RunOptions(String restart) {
    this(restart, null, null, null, null, null, false);
  }

  public RunOptions {
    restart = restart == null || restart.isEmpty() ? "no" : restart;
  }

  /** Docker's merge: each flag replaces the image's field; {@code --no-healthcheck} disables it. */
  Healthcheck healthcheck(Healthcheck image) {
    boolean flags = healthCmd != null || healthInterval != null || healthTimeout != null || healthRetries != null
        || healthStartPeriod != null;
    if (noHealthcheck) {
      if (flags) throw new InvalidArgumentException("--no-healthcheck conflicts with --health-* options");
      return new Healthcheck(List.of("NONE"), null, null, null, null, null);
    }
    if (!flags) return image;
    Healthcheck base = image != null ? image : new Healthcheck(List.of(), null, null, null, null, null);
    for (Duration d : new Duration[] {healthInterval, healthTimeout, healthStartPeriod}) {
      if (d != null && d.isNegative()) throw new InvalidArgumentException("--health-interval, --health-timeout and --health-start-period cannot be negative");
    }
    if (healthRetries != null && healthRetries < 0) throw new InvalidArgumentException("--health-retries cannot be negative");
    return new Healthcheck(healthCmd != null ? List.of("CMD-SHELL", healthCmd) : base.test(),
        healthInterval != null ? Long.valueOf(healthInterval.toNanos()) : base.interval(),
        healthTimeout != null ? Long.valueOf(healthTimeout.toNanos()) : base.timeout(),
        healthStartPeriod != null ? Long.valueOf(healthStartPeriod.toNanos()) : base.startPeriod(), base.startInterval(),
        healthRetries != null ? healthRetries : base.retries());
  }
}
