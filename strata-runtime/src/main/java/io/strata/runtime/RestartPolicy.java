package io.strata.runtime;

import io.strata.errdefs.InvalidArgumentException;
import java.time.Duration;

/**
 * Docker's {@code --restart}: {@code no}, {@code on-failure[:N]} (a non-zero exit, at most N
 * restarts when N is given), {@code always}, {@code unless-stopped}. A container stopped by the user
 * ({@code stop}, {@code kill}, {@code rm -f}) is not restarted by any policy.
 */
public record RestartPolicy(String name, int maximumRetryCount) {
  public static final RestartPolicy NO = new RestartPolicy("no", 0);

  public static RestartPolicy parse(String s) {
    if (s == null || s.isEmpty() || s.equals("no")) return NO;
    if (s.equals("always") || s.equals("unless-stopped")) return new RestartPolicy(s, 0);
    if (s.equals("on-failure")) return new RestartPolicy(s, 0);
    if (s.startsWith("on-failure:")) {
      String n = s.substring("on-failure:".length());
      if (!n.matches("\\d{1,9}")) throw new InvalidArgumentException("invalid restart policy format: maximum retry count must be an integer");
      return new RestartPolicy("on-failure", Integer.parseInt(n));
    }
    if (s.startsWith("always:") || s.startsWith("unless-stopped:") || s.startsWith("no:")) {
      throw new InvalidArgumentException("invalid restart policy format: maximum retry count cannot be used with restart policy '"
          + s.substring(0, s.indexOf(':')) + "'");
    }
    throw new InvalidArgumentException("invalid restart policy format: unknown policy '" + s + "'");
  }

  public boolean isNo() {
    return name.equals("no");
  }

  /** Whether a start that ended with {@code exitCode}, after {@code restarts} restarts, is restarted. */
  boolean restarts(int exitCode, int restarts, boolean stoppedByUser) {
    if (stoppedByUser) return false;
    return switch (name) {
      case "always", "unless-stopped" -> true;
      case "on-failure" -> exitCode != 0 && (maximumRetryCount == 0 || restarts < maximumRetryCount);
      default -> false;
    };
  }

  /** Docker's delay before restart number {@code n} (from 0): 100 ms doubling, at most a minute. */
  static Duration backoff(int n) {
    return Duration.ofMillis(Math.min(60_000, 100L << Math.min(n, 10)));
  }
}
