package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cgroup limits of {@code -m/--memory}, {@code --memory-swap}, {@code --cpus}, {@code --cpu-shares}
 * and {@code --pids-limit}, as Docker keeps them in HostConfig: 0 is no limit ({@code memorySwap} -1
 * unlimited swap), {@code pidsLimit} null is unlimited. runc applies them (cgroup v1 or v2).
 */
public record Resources(long memory, long memorySwap, long nanoCpus, long cpuShares, Long pidsLimit) {
  public static final Resources NONE = new Resources(0, 0, 0, 0, null);

  /** Docker's smallest memory limit. */
  static final long MIN_MEMORY = 6 << 20;

  /** The CFS period Docker uses for {@code --cpus}: 100 ms. */
  static final long CPU_PERIOD = 100_000;

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * What the daemon does with the request before keeping it: swap defaults to twice the memory
   * (where the kernel accounts swap), and a pids limit of 0 or less is no limit.
   */
  public Resources adapted() {
    long swap = memory > 0 && memorySwap == 0 && Cgroups.swapAccounting() ? memory * 2 : memorySwap;
    return new Resources(memory, swap, nanoCpus, cpuShares, pidsLimit != null && pidsLimit <= 0 ? null : pidsLimit);
  }

  /**
   * Docker's {@code update} of a container's limits with {@code request}, whose 0 (null for pids) leaves a
   * value as it is: the request is checked as the daemon checks an update, the merge as a whole; a memory
   * limit above the swap limit already set needs a new swap limit too (the kernel refuses it otherwise).
   */
  public Resources updatedBy(Resources request) {
    request.check(Runtime.getRuntime().availableProcessors(), true);
    if (request.memory != 0 && memorySwap > 0 && request.memory > memorySwap && request.memorySwap == 0) {
      throw new InvalidArgumentException("Memory limit should be smaller than already set memoryswap limit, update the "
          + "memoryswap at the same time");
    }
    Resources merged = new Resources(request.memory != 0 ? request.memory : memory,
        request.memorySwap != 0 ? request.memorySwap : memorySwap, request.nanoCpus != 0 ? request.nanoCpus : nanoCpus,
        request.cpuShares != 0 ? request.cpuShares : cpuShares,
        request.pidsLimit == null ? pidsLimit : request.pidsLimit <= 0 ? null : request.pidsLimit);
    merged.check(Runtime.getRuntime().availableProcessors(), false);
    return merged;
  }

  /** The daemon's checks, with its messages; {@code cpus} is the number of CPUs this process may use. */
  void check(int cpus) {
    check(cpus, false);
  }

  /** As {@link #check(int)}; an {@code update} may give a swap limit alone, kept with the memory limit already set. */
  private void check(int cpus, boolean update) {
    if (memory != 0 && memory < MIN_MEMORY) throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
    if (memory > 0 && memorySwap > 0 && memorySwap < memory) {
      throw new InvalidArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage");
    }
    if (memory == 0 && memorySwap > 0 && !update) {
      throw new InvalidArgumentException("You should always set the Memory limit when using Memoryswap limit, see usage");
    }
    if (memorySwap > 0 && !Cgroups.swapAccounting()) {
      // Docker drops the swap limit with a warning; strata does not pretend to apply it
      throw new InvalidArgumentException("--memory-swap cannot be applied: this kernel does not account swap in its memory cgroup");
    }
    if (nanoCpus < 0 || nanoCpus > cpus * 1_000_000_000L) {
      throw new InvalidArgumentException("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only " + cpus
          + " CPUs available");
    }
    if (cpuShares < 0) throw new InvalidArgumentException("shares: invalid argument");
  }

  /** Which cgroup hierarchy this host has, for what runc can apply. */
  static final class Cgroups {
    private Cgroups() {}

    /** cgroup v2 has swap with its memory controller; v1 only when memsw files exist (swapaccount=1). */
    static boolean swapAccounting() {
      Path root = Path.of("/sys/fs/cgroup");
      if (Files.exists(root.resolve("cgroup.controllers"))) return true;
      return Files.exists(root.resolve("memory/memory.memsw.limit_in_bytes"));
    }
  }
}
