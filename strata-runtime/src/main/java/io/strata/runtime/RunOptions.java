package io.strata.runtime;

/** How a container's starts are managed: Docker's {@code --restart}. */
public record RunOptions(String restart) {
  public static final RunOptions DEFAULT = new RunOptions("no");

  public RunOptions {
    restart = restart == null || restart.isEmpty() ? "no" : restart;
  }
}
