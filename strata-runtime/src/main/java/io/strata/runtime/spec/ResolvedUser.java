package io.strata.runtime.spec;

import java.util.List;

/**
 * The process's identity, resolved against the container's /etc/passwd and /etc/group.
 * {@code additionalGids} are the supplementary groups of runc's {@code GetExecUser}: the groups
 * that list the user, when no group was named.
 */
public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {
  public ResolvedUser {
    additionalGids = List.copyOf(additionalGids);
  }
}
