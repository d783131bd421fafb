package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process environment, as moby's {@code CreateDaemonEnvironment} makes it. */
final class ProcessEnv {
  private ProcessEnv() {}

  /**
   * PATH, HOSTNAME and (with a tty) TERM=xterm, each replaced in place by the container's own
   * value; the container's other entries after them; an entry without {@code =} unsets its name.
   * HOME is added from passwd when still missing, as runc would do.
   */
  static List<String> of(ContainerSettings s, ResolvedUser user) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DockerDefaults.PATH);
    env.put("HOSTNAME", "HOSTNAME=" + s.hostname());
    if (s.terminal()) env.put("TERM", "TERM=xterm");
    for (String e : s.env()) {
      int eq = e.indexOf('=');
      if (eq < 0) {
        env.remove(e);
      } else {
        env.put(e.substring(0, eq), e);
      }
    }
    env.putIfAbsent("HOME", "HOME=" + user.home());
    return new ArrayList<>(env.values());
  }

  /** What runc would refuse at start: an empty name or a NUL byte. */
  static void validate(List<String> env) {
    for (String e : env) {
      if (e.indexOf('\0') >= 0) {
        throw new InvalidArgumentException("invalid environment variable " + e.replace('\0', '?') + ": contains a NUL byte");
      }
      if (e.isEmpty() || e.startsWith("=")) {
        throw new InvalidArgumentException("invalid environment variable '" + e + "': empty name");
      }
    }
  }
}
