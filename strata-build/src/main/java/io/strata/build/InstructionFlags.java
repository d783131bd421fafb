package io.strata.build;

import io.strata.build.parser.Node;
import io.strata.errdefs.InvalidArgumentException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --flags} each instruction takes, as BuildKit's Dockerfile frontend: anything else is
 * refused before the build starts, never silently ignored. Value-less flags ({@code --link}) may be
 * written bare.
 */
final class InstructionFlags {
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "from", Set.of("platform"),
      "run", Set.of("mount", "network", "security"),
      "copy", Set.of("from", "chown", "chmod", "link"),
      "add", Set.of("chown", "chmod", "link", "checksum", "keep-git-dir"),
      "healthcheck", Set.of("interval", "timeout", "start-period", "start-interval", "retries"));
  private static final Set<String> BOOLEAN = Set.of("link", "keep-git-dir");
  /** Known to BuildKit but behind its labs syntax or not built here: named, so the error says so. */
  private static final Set<String> UNSUPPORTED = Set.of("parents", "exclude");

  private InstructionFlags() {}

  static void check(Node n) {
    Set<String> allowed = ALLOWED.getOrDefault(n.keyword(), Set.of());
    for (String f : n.flags()) {
      int eq = f.indexOf('=');
      String name = (eq < 0 ? f : f.substring(0, eq)).substring(2).toLowerCase(Locale.ROOT);
      if (UNSUPPORTED.contains(name) && (n.keyword().equals("copy") || n.keyword().equals("add"))) {
        throw error(n, "flag --" + name + " is not supported (BuildKit's labs syntax)");
      }
      if (!allowed.contains(name)) throw error(n, "unknown flag: --" + name);
      if (eq < 0 && !BOOLEAN.contains(name)) throw error(n, "missing a value on flag: --" + name);
    }
  }

  private static InvalidArgumentException error(Node n, String message) {
    return new InvalidArgumentException("Dockerfile:" + n.startLine() + ": " + message + " for " + n.keyword().toUpperCase(Locale.ROOT));
  }
}
