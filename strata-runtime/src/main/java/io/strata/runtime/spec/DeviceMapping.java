package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;

/**
 * One {@code --device /dev/HOST[:/dev/CTR][:rwm]} (HostConfig.Devices): the host's node, where it
 * appears in the container, and the device cgroup access given to it.
 */
public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {

  /**
   * The docker CLI's {@code validateDevice} then {@code parseDevice}, with its messages: a second
   * field that is a mode ({@code /dev/fuse:rw}) is the mode, the container path defaults to the host's.
   */
  public static DeviceMapping parse(String device) {
    String val = validate(device);
    String[] arr = val.split(":", -1);
    String src = arr[0];
    String dst = "";
    String permissions = "rwm";
    if (arr.length == 3) permissions = arr[2];
    if (arr.length >= 2) {
      if (validMode(arr[1])) permissions = arr[1];
      else dst = arr[1];
    }
    return new DeviceMapping(src, dst.isEmpty() ? src : dst, permissions);
  }

  /** The CLI's {@code validateLinuxPath}: returns the value with the container path cleaned. */
  private static String validate(String val) {
    if (val.chars().filter(c -> c == ':').count() > 2) throw new InvalidArgumentException("bad format for path: " + val);
    String[] split = val.split(":", 3);
    if (split[0].isEmpty()) throw new InvalidArgumentException("bad format for path: " + val);
    String containerPath;
    String out;
    switch (split.length) {
      case 1 -> {
        containerPath = split[0];
        out = clean(containerPath);
      }
      case 2 -> {
        if (validMode(split[1])) {
          containerPath = split[0];
          out = clean(containerPath) + ":" + split[1];
        } else {
          containerPath = split[1];
          out = split[0] + ":" + clean(containerPath);
        }
      }
      default -> {
        containerPath = split[1];
        if (!validMode(split[2])) throw new InvalidArgumentException("bad mode specified: " + split[2]);
        out = val;
      }
    }
    if (!containerPath.startsWith("/")) throw new InvalidArgumentException(containerPath + " is not an absolute path");
    return out;
  }

  /** Go's {@code path.Clean} for the absolute paths that pass (a relative one is refused anyway). */
  private static String clean(String p) {
    return p.startsWith("/") ? io.strata.layer.InRoot.clean(p) : p;
  }

  /** r, w and m, each at most once. */
  static boolean validMode(String mode) {
    if (mode.isEmpty()) return false;
    String seen = "";
    for (char c : mode.toCharArray()) {
      if ("rwm".indexOf(c) < 0 || seen.indexOf(c) >= 0) return false;
      seen += c;
    }
    return true;
  }
}
