package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** A {@code -v /host/path:/container/path[:ro|rw]} bind mount. */
public record BindMount(Path source, String destination, boolean readOnly) {

  /** Parses Docker's {@code -v} syntax, for host paths only: named and anonymous volumes are refused. */
  public static BindMount parse(String spec) {
    String[] p = spec.split(":", -1);
    if (p.length == 1 && spec.startsWith("/")) {
      throw new InvalidArgumentException("anonymous volumes are not supported: " + spec + " (use /host/path:" + spec + ")");
    }
    if (p.length < 2 || p.length > 3 || p[0].isEmpty()) {
      throw new InvalidArgumentException("invalid volume specification: '" + spec + "'");
    }
    if (!p[0].startsWith("/")) throw new InvalidArgumentException("named volumes are not supported: " + p[0]);
    boolean readOnly = p.length == 3 && switch (p[2]) {
      case "ro" -> true;
      case "rw" -> false;
      default -> throw new InvalidArgumentException("invalid mode: " + p[2] + " in volume specification '" + spec + "'");
    };
    String destination = ContainerPaths.absoluteNoDotDot(p[1], "mount path");
    if (destination.equals("/")) {
      throw new InvalidArgumentException("invalid volume specification '" + spec + "': destination can't be '/'");
    }
    Path source;
    try {
      source = Path.of(p[0]).normalize();
    } catch (InvalidPathException e) {
      throw new InvalidArgumentException("invalid volume specification '" + spec + "': bad host path " + p[0]);
    }
    if (!Files.exists(source)) {
      throw new InvalidArgumentException("invalid volume specification '" + spec + "': bind source path does not exist: " + source);
    }
    return new BindMount(source, destination, readOnly);
  }
}
