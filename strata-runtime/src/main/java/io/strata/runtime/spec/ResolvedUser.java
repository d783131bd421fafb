package io.strata.runtime.spec;

import java.util.List;

/** The process's identity, resolved against the container's /etc/passwd and /etc/group. */
public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {
  public ResolvedUser {
    additionalGids = List.copyOf(additionalGids);
  }
}
