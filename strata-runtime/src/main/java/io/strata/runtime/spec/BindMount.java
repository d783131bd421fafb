package io.strata.runtime.spec;

import io.strata.errdefs.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code -v /host:/container[:ro|rw]} bind mount. */
public record BindMount(Path source, String destination, boolean readOnly) {

  public static BindMount parse(String spec) {
    String[] p = spec.split(":", -1);
    if (p.length < 2 || p.length > 3) throw new InvalidArgumentException("invalid volume specification: '" + spec + "'");
    if (!p[0].startsWith("/")) {
      throw new InvalidArgumentException("named volumes are not supported: " + p[0] + " (use an absolute host path)");
    }
    boolean ro = false;
    if (p.length == 3) {
      switch (p[2]) {
        case "ro" -> ro = true;
        case "rw", "" -> ro = false;
        default -> throw new InvalidArgumentException("invalid mode: " + p[2] + " in volume specification '" + spec + "'");
      }
    }
    Path source = Path.of(p[0]);
    if (!Files.exists(source)) {
      throw new InvalidArgumentException("invalid volume specification '" + spec + "': bind source path does not exist: " + p[0]);
    }
    return new BindMount(source, Paths.cleanAbsolute(p[1], "volume destination"), ro);
  }
}
