package io.strata.runtime;

import java.util.List;

/**
 * One mount of a container as created ({@code -v}, {@code --mount}, {@code --tmpfs},
 * {@code --volumes-from}, an image's VOLUME): a host path, a volume by name, or a tmpfs. Kept with
 * the container; a volume's host directory is looked up at each start.
 */
public record MountPoint(Type type, String source, String destination, boolean readOnly, boolean noCopy, List<String> options) {
  public enum Type {
    BIND,
    VOLUME,
    TMPFS;

    /** Docker's name: bind, volume, tmpfs. */
    public String dockerName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public MountPoint {
    options = options == null ? List.of() : List.copyOf(options);
  }

  MountPoint withReadOnly(boolean ro) {
    return new MountPoint(type, source, destination, ro, noCopy, options);
  }
}
