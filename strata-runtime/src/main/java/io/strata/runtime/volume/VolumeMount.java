package io.strata.runtime.volume;

import io.strata.errdefs.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a volume is mounted as in a container: a bind of its directory (the plain local volume and
 * {@code o=bind,device=PATH}) or a tmpfs ({@code type=tmpfs}). Other types (nfs, a block device)
 * need mounts on the host that strata does not make and are refused when the volume is created.
 */
public sealed interface VolumeMount {
  record Bind(Path source) implements VolumeMount {}

  record Tmpfs(List<String> options) implements VolumeMount {}

  static VolumeMount of(Volume v) {
    return of(v.options(), v.mountpoint());
  }

  /** Checks {@code volume create -o} options: what they mount as. */
  static VolumeMount of(Map<String, String> options, Path data) {
    for (String k : options.keySet()) {
      if (!List.of("type", "device", "o").contains(k)) throw new InvalidArgumentException("invalid option key: \"" + k + "\"");
    }
    String type = options.getOrDefault("type", "");
    List<String> o = options.containsKey("o") ? List.of(options.get("o").split(",")) : List.of();
    if (type.isEmpty() && options.isEmpty()) return new Bind(data);
    if (type.equals("tmpfs")) return new Tmpfs(new ArrayList<>(o));
    if ((type.equals("none") || type.isEmpty()) && o.contains("bind")) {
      String device = options.get("device");
      if (device == null || !device.startsWith("/")) {
        throw new InvalidArgumentException("invalid volume options: o=bind needs an absolute device=PATH");
      }
      return new Bind(Path.of(device));
    }
    throw new InvalidArgumentException("invalid volume options: strata's local driver mounts type=tmpfs and "
        + "type=none,o=bind,device=PATH volumes, not " + (type.isEmpty() ? options : "type=" + type));
  }
}
