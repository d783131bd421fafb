package io.strata.runtime;

import java.time.Instant;

/**
 * One reading of a running container's counters, as Docker's stats API carries them: the cgroup's
 * CPU time and the host's ({@code system_cpu_usage}, both in nanoseconds), memory in use with the
 * inactive file cache it includes and its limit (the host's memory where the cgroup has none), the
 * bytes its network interfaces received and sent, the bytes its block devices read and wrote, and
 * its number of processes. Two readings make the CPU percentage.
 */
public record StatsSample(Instant read, long cpuNanos, long systemNanos, int onlineCpus, long memoryUsage,
    long memoryInactiveFile, long memoryLimit, long netRx, long netTx, long blockRead, long blockWrite, long pids) {

  /** What Docker shows of a container that does not run: every counter 0. */
  public static final StatsSample NONE = new StatsSample(Instant.EPOCH, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
