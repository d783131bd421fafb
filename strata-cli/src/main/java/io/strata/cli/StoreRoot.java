package io.strata.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the store lives when {@code --root} is not given: {@code $STRATA_ROOT}; else
 * {@code /var/lib/strata} for root (as docker uses /var/lib/docker); else the XDG data directory
 * ({@code $XDG_DATA_HOME/strata}, default {@code ~/.local/share/strata}).
 */
public final class StoreRoot {
  private StoreRoot() {}

  public static Path resolve(Path flag, Map<String, String> env, boolean isRoot) {
    if (flag != null) return flag;
    String fromEnv = env.get("STRATA_ROOT");
    if (fromEnv != null && !fromEnv.isEmpty()) return Path.of(fromEnv);
    if (isRoot) return Path.of("/var/lib/strata");
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "strata");
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".local", "share", "strata");
  }

  static boolean runningAsRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (Exception e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
