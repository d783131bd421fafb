package io.strata.runtime;

import java.util.List;

/** A container's mount flags beyond {@code -v}: {@code --mount}, {@code --tmpfs}, {@code --volumes-from}. */
public record MountRequest(List<String> mounts, List<String> tmpfs, List<String> volumesFrom) {
  public static final MountRequest NONE = new MountRequest(List.of(), List.of(), List.of());

  public MountRequest {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
    volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
  }
}
