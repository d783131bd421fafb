package io.strata.runtime;

import io.strata.runtime.spec.Resources;

/**
 * Docker's {@code update}: new cgroup limits, where 0 (null for the pids limit) leaves a limit as it
 * is, and a new restart policy ({@code --restart}; null leaves it).
 */
public record UpdateRequest(Resources resources, String restart) {
  public UpdateRequest {
    resources = resources == null ? Resources.NONE : resources;
  }
}
