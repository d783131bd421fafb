package io.strata.build;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.layer.InRoot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code RUN --mount=…} as BuildKit's Dockerfile frontend reads it: comma-separated
 * {@code key=value} fields (CSV quoting), {@code type} bind (the default), cache, tmpfs or secret.
 * A relative target is under the working directory.
 */
sealed interface RunMount {
  String target();

  /** The fields that make the mount what it is, for the step's cache key (never a cache's or secret's content). */
  String describe();

  /** Files of the build context ({@code from} null) or of a stage or image, read-only unless {@code rw}: writes are dropped. */
  record Bind(String target, String source, String from, boolean readWrite) implements RunMount {
    public String describe() {
      return "bind " + target + " " + source + " " + from + " " + readWrite;
    }
  }

  /** A directory kept between builds under {@code id} (default: the target), shared per {@code sharing}. */
  record Cache(String target, String id, String sharing, String source, boolean readOnly, int mode, long uid, long gid)
      implements RunMount {
    public String describe() {
      return "cache " + target + " " + id + " " + sharing + " " + source + " " + readOnly + " " + mode + " " + uid + " " + gid;
    }
  }

  record Tmpfs(String target, Long size) implements RunMount {
    public String describe() {
      return "tmpfs " + target + " " + size;
    }
  }

  /** A {@code --secret} of the build, as a file (default {@code /run/secrets/ID}) or an environment variable. */
  record Secret(String target, String id, String env, boolean required, int mode, long uid, long gid) implements RunMount {
    public String describe() {
      return "secret " + target + " " + id + " " + env + " " + required + " " + mode + " " + uid + " " + gid;
    }
  }

  Set<String> KEYS = Set.of("type", "target", "dst", "destination", "source", "src", "from", "readonly", "ro",
      "readwrite", "rw", "id", "sharing", "mode", "uid", "gid", "size", "required", "env");

  /** Keys that may stand alone, meaning true. */
  Set<String> FLAG_KEYS = Set.of("readonly", "ro", "readwrite", "rw", "required");

  /** Parses the value of one {@code --mount} flag (already expanded); {@code cwd} makes a relative target absolute. */
  static RunMount parse(String spec, String cwd) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String field : csv(spec)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      if (!KEYS.contains(key)) throw new InvalidArgumentException("unexpected key '" + key + "' in '" + field + "'");
      if (eq < 0 && !FLAG_KEYS.contains(key)) throw new InvalidArgumentException("invalid field '" + field + "': must be a key=value pair");
      f.put(switch (key) {
        case "dst", "destination" -> "target";
        case "src" -> "source";
        case "ro" -> "readonly";
        case "rw" -> "readwrite";
        default -> key;
      }, eq < 0 ? null : field.substring(eq + 1));
    }
    if ("".equals(f.get("target"))) throw new InvalidArgumentException("mount target is empty");
    String type = f.getOrDefault("type", "bind");
    if (type.equals("ssh")) throw new InvalidArgumentException("RUN --mount=type=ssh is not supported");
    String target = f.get("target") == null ? null : InRoot.clean(f.get("target").startsWith("/") ? f.get("target") : cwd + "/" + f.get("target"));
    if (target == null && !type.equals("secret")) throw new InvalidArgumentException("mount type " + type + " requires a target");
    if ("/".equals(target)) throw new InvalidArgumentException("mount target can't be /");
    String source = f.getOrDefault("source", "");
    return switch (type) {
      case "bind" -> {
        only(f, type, "source", "from", "readonly", "readwrite");
        yield new Bind(target, source, f.get("from"), bool(f, "readwrite", false) && !bool(f, "readonly", false));
      }
      case "cache" -> {
        only(f, type, "source", "readonly", "readwrite", "id", "sharing", "mode", "uid", "gid");
        String sharing = f.getOrDefault("sharing", "shared");
        if (!Set.of("shared", "private", "locked").contains(sharing)) {
          throw new InvalidArgumentException("unsupported sharing value \"" + sharing + "\"");
        }
        String id = f.get("id") == null || f.get("id").isEmpty() ? target : f.get("id");
        yield new Cache(target, id, sharing, source, bool(f, "readonly", false), mode(f, 0755), number(f, "uid"), number(f, "gid"));
      }
      case "tmpfs" -> {
        only(f, type, "size");
        yield new Tmpfs(target, f.get("size") == null ? null : size(f.get("size")));
      }
      case "secret" -> {
        only(f, type, "id", "required", "mode", "uid", "gid", "env");
        String id = f.get("id") != null && !f.get("id").isEmpty() ? f.get("id")
            : target != null ? target.substring(target.lastIndexOf('/') + 1) : null;
        if (id == null || id.isEmpty()) throw new InvalidArgumentException("secret mount requires an id or a target");
        String file = target != null ? target : f.get("env") == null ? "/run/secrets/" + id : null;
        yield new Secret(file, id, f.get("env"), bool(f, "required", false), mode(f, 0400), number(f, "uid"), number(f, "gid"));
      }
      default -> throw new InvalidArgumentException("unsupported mount type \"" + type + "\"");
    };
  }

  private static void only(Map<String, String> f, String type, String... allowed) {
    Set<String> ok = new java.util.HashSet<>(List.of(allowed));
    ok.add("type");
    ok.add("target");
    for (String k : f.keySet()) {
      if (!ok.contains(k)) throw new InvalidArgumentException("unexpected key '" + k + "' for mount type " + type);
    }
  }

  private static boolean bool(Map<String, String> f, String key, boolean dflt) {
    if (!f.containsKey(key)) return dflt;
    String v = f.get(key);
    if (v == null || v.equalsIgnoreCase("true") || v.equals("1")) return true;
    if (v.equalsIgnoreCase("false") || v.equals("0")) return false;
    throw new InvalidArgumentException("invalid value for " + key + ": " + v);
  }

  private static int mode(Map<String, String> f, int dflt) {
    String v = f.get("mode");
    if (v == null) return dflt;
    if (!v.matches("[0-7]{1,4}")) throw new InvalidArgumentException("invalid mode " + v);
    return Integer.parseInt(v, 8);
  }

  private static long number(Map<String, String> f, String key) {
    String v = f.get(key);
    if (v == null) return 0;
    if (!v.matches("\\d{1,10}") || Long.parseLong(v) > Integer.MAX_VALUE) throw new InvalidArgumentException("invalid " + key + " " + v);
    return Long.parseLong(v);
  }

  /** Bytes, or with a k/m/g suffix (powers of 1024, as Docker's RAMInBytes). */
  private static long size(String v) {
    var m = java.util.regex.Pattern.compile("(?i)(\\d{1,12})([kmg]?)b?").matcher(v);
    if (!m.matches()) throw new InvalidArgumentException("invalid size " + v);
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }

  /** Go's encoding/csv on one record: commas split, double quotes group, {@code ""} is a quote. */
  private static List<String> csv(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) throw new InvalidArgumentException("unterminated quote in mount " + s);
    out.add(cur.toString());
    out.removeIf(String::isBlank);
    return out;
  }
}
