package io.strata.runtime;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.runtime.MountPoint.Type;
import io.strata.runtime.spec.ContainerPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Docker's mount flags parsed into {@link MountPoint}s, with its validation messages. */
final class MountFlags {
  private static final Set<String> VOLUME_MODES = Set.of("ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave",
      "private", "rprivate", "delegated", "cached", "consistent");
  private static final List<String> TMPFS_DEFAULTS = List.of("noexec", "nosuid", "nodev");

  private MountFlags() {}

  /** {@code -v [SOURCE:]DEST[:MODES]}: a host path (absolute), a volume by name, or an anonymous volume. */
  static MountPoint volume(String spec) {
    String[] p = spec.split(":", -1);
    if (p.length > 3 || spec.isEmpty() || java.util.Arrays.stream(p).anyMatch(String::isEmpty)) {
      throw new InvalidArgumentException("invalid volume specification: '" + spec + "'");
    }
    String source = p.length >= 2 ? p[0] : "";
    String dest = p.length >= 2 ? p[1] : p[0];
    List<String> modes = p.length == 3 ? List.of(p[2].split(",")) : List.of();
    for (String m : modes) if (!VOLUME_MODES.contains(m)) throw new InvalidArgumentException("invalid mode: " + p[2]);
    Type type = source.startsWith("/") ? Type.BIND : Type.VOLUME;
    if (!dest.startsWith("/")) {
      throw new InvalidArgumentException("invalid volume specification: '" + spec + "': invalid mount config for type \""
          + type.dockerName() + "\": invalid mount path: '" + dest + "' mount path must be absolute");
    }
    dest = destination(dest, spec);
    if (type == Type.BIND) source = java.nio.file.Path.of(source).normalize().toString();
    return new MountPoint(type, source, dest, modes.contains("ro"), modes.contains("nocopy"), List.of());
  }

  /** {@code --mount type=bind|volume|tmpfs,source=…,target=…,readonly,…}. */
  static MountPoint mount(String spec) {
    String type = "volume";
    String source = "";
    String target = "";
    boolean readOnly = false;
    boolean noCopy = false;
    List<String> tmpfs = new ArrayList<>();
    for (String field : spec.split(",")) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : field.substring(eq + 1);
      switch (key) {
        case "type" -> type = required(value, field, spec);
        case "source", "src" -> source = required(value, field, spec);
        case "target", "destination", "dst" -> target = required(value, field, spec);
        case "readonly", "ro" -> readOnly = bool(value, field, spec);
        case "volume-nocopy" -> noCopy = bool(value, field, spec);
        case "tmpfs-size" -> tmpfs.add("size=" + required(value, field, spec));
        case "tmpfs-mode" -> tmpfs.add("mode=" + Integer.toOctalString(Integer.parseInt(required(value, field, spec), 8)));
        case "bind-propagation", "consistency", "volume-driver", "volume-label", "volume-opt", "bind-nonrecursive" -> {
          // accepted as Docker does; strata's binds are rprivate and its volumes local
        }
        default -> throw new InvalidArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: unexpected key '"
            + key + "' in '" + field + "'");
      }
    }
    Type t = switch (type) {
      case "bind" -> Type.BIND;
      case "volume" -> Type.VOLUME;
      case "tmpfs" -> Type.TMPFS;
      default -> throw new InvalidArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid mount type: "
          + type);
    };
    String config = "invalid mount config for type \"" + type + "\": ";
    if (target.isEmpty()) throw new InvalidArgumentException(config + "field Target must not be empty");
    if (t == Type.BIND && source.isEmpty()) throw new InvalidArgumentException(config + "field Source must not be empty");
    if (t == Type.TMPFS && !source.isEmpty()) throw new InvalidArgumentException(config + "field Source must not be specified");
    if (t == Type.BIND) {
      if (!source.startsWith("/")) throw new InvalidArgumentException(config + "invalid mount path: '" + source + "' mount path must be absolute");
      if (!java.nio.file.Files.exists(java.nio.file.Path.of(source))) {
        throw new InvalidArgumentException(config + "bind source path does not exist: " + source);
      }
    }
    if (!target.startsWith("/")) throw new InvalidArgumentException(config + "invalid mount path: '" + target + "' mount path must be absolute");
    List<String> options = t == Type.TMPFS ? tmpfsOptions(tmpfs) : List.of();
    return new MountPoint(t, source, destination(target, spec), readOnly, noCopy, options);
  }

  /** {@code --tmpfs DEST[:OPTIONS]}: Docker's defaults (noexec, nosuid, nodev) with the options given. */
  static MountPoint tmpfs(String spec) {
    int colon = spec.indexOf(':');
    String dest = colon < 0 ? spec : spec.substring(0, colon);
    if (!dest.startsWith("/")) throw new InvalidArgumentException("invalid mount path: '" + dest + "' mount path must be absolute");
    List<String> given = colon < 0 ? List.of() : List.of(spec.substring(colon + 1).split(","));
    boolean readOnly = given.contains("ro");
    return new MountPoint(Type.TMPFS, "", destination(dest, spec), readOnly, false,
        tmpfsOptions(given.stream().filter(o -> !o.equals("ro") && !o.equals("rw")).toList()));
  }

  private static List<String> tmpfsOptions(List<String> given) {
    List<String> out = new ArrayList<>();
    for (String d : TMPFS_DEFAULTS) {
      String opposite = d.startsWith("no") ? d.substring(2) : "no" + d;
      if (!given.contains(opposite)) out.add(d);
    }
    for (String g : given) if (!out.contains(g) && !g.isEmpty()) out.add(g);
    return out;
  }

  private static String destination(String dest, String spec) {
    String clean = ContainerPaths.absoluteNoDotDot(dest, "mount path");
    if (clean.equals("/")) throw new InvalidArgumentException("invalid specification: destination can't be '/' in '" + spec + "'");
    return clean;
  }

  private static String required(String value, String field, String spec) {
    if (value == null || value.isEmpty()) {
      throw new InvalidArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid field '" + field
          + "' must be a key=value pair");
    }
    return value;
  }

  private static boolean bool(String value, String field, String spec) {
    if (value == null) return true;
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default -> throw new InvalidArgumentException("invalid argument \"" + spec + "\" for \"--mount\" flag: invalid value for '"
          + field.substring(0, field.indexOf('=')) + "': " + value);
    };
  }
}
