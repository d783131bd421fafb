package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.util.List;
import java.util.Locale;

/**
 * One {@code --ulimit NAME=SOFT[:HARD]} (go-units' {@code Ulimit}), a {@code process.rlimits} entry of
 * the spec. -1 is unlimited. Docker's names only: core, cpu, data, fsize, locks, memlock, msgqueue,
 * nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack.
 */
public record Ulimit(String name, long soft, long hard) {
  static final List<String> NAMES = List.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
      "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

  /** go-units' {@code ParseUlimit}, with its messages; a missing hard limit is the soft one. */
  public static Ulimit parse(String value) {
    int eq = value.indexOf('=');
    if (eq < 0) throw new InvalidArgumentException("invalid ulimit argument: " + value);
    String name = value.substring(0, eq);
    if (!NAMES.contains(name)) throw new InvalidArgumentException("invalid ulimit type: " + name);
    String[] limits = value.substring(eq + 1).split(":", -1);
    if (limits.length > 2) {
      throw new InvalidArgumentException("too many limit value arguments - " + value.substring(eq + 1)
          + ", can only have up to two, `soft[:hard]`");
    }
    long hard = limits.length == 2 ? FlagValues.int64(limits[1]) : 0;
    long soft = FlagValues.int64(limits[0]);
    if (limits.length == 1) hard = soft;
    if (hard != -1 && soft > hard) {
      throw new InvalidArgumentException("ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
    }
    return new Ulimit(name, soft, hard);
  }

  /** The spec's type: {@code RLIMIT_NOFILE} for nofile. */
  String rlimit() {
    return "RLIMIT_" + name.toUpperCase(Locale.ROOT);
  }
}
