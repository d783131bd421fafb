package io.strata.cli.template;

import io.strata.cli.template.Func.Failure;
import io.strata.cli.template.Func.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Go's predefined template functions: {@code and or not}, {@code call}, {@code html js urlquery},
 * {@code index slice len}, {@code print printf println} and the comparisons
 * {@code eq ne lt le gt ge}, with Go's argument rules and error messages.
 */
final class Builtins {
  private static final Map<String, Func> FUNCS = build();

  private Builtins() {}

  static Func get(String name) {
    return FUNCS.get(name);
  }

  static boolean has(String name) {
    return FUNCS.containsKey(name);
  }

  private static Map<String, Func> build() {
    Map<String, Func> m = new LinkedHashMap<>();
    Func.Body special = args -> {
      throw new IllegalStateException("evaluated by the executor");
    };
    add(m, Func.variadic("and", special, Type.VALUE, Type.VALUE));
    add(m, Func.variadic("or", special, Type.VALUE, Type.VALUE));
    add(m, Func.variadic("call", special, Type.VALUE, Type.VALUE));
    add(m, Func.variadic("html", args -> htmlEscape(evalArgs(args)), Type.ANY));
    add(m, Func.variadic("js", args -> jsEscape(evalArgs(args)), Type.ANY));
    add(m, Func.variadic("urlquery", args -> queryEscape(evalArgs(args)), Type.ANY));
    add(m, Func.variadic("index", args -> index(args.getFirst(), args.subList(1, args.size())), Type.VALUE, Type.VALUE));
    add(m, Func.variadic("slice", args -> slice(args.getFirst(), args.subList(1, args.size())), Type.VALUE, Type.VALUE));
    add(m, Func.of("len", args -> length(args.getFirst()), Type.VALUE));
    add(m, Func.of("not", args -> !Values.isTrue(args.getFirst()), Type.VALUE));
    add(m, Func.variadic("print", GoFmt::sprint, Type.ANY));
    add(m, Func.variadic("printf", args -> GoFmt.sprintf((String) args.getFirst(), args.subList(1, args.size())),
        Type.STRING, Type.ANY));
    add(m, Func.variadic("println", GoFmt::sprintln, Type.ANY));
    add(m, Func.variadic("eq", args -> eq(args.getFirst(), args.subList(1, args.size())), Type.VALUE, Type.VALUE));
    add(m, Func.of("ge", args -> !lt(args.get(0), args.get(1)), Type.VALUE, Type.VALUE));
    add(m, Func.of("gt", args -> !le(args.get(0), args.get(1)), Type.VALUE, Type.VALUE));
    add(m, Func.of("le", args -> le(args.get(0), args.get(1)), Type.VALUE, Type.VALUE));
    add(m, Func.of("lt", args -> lt(args.get(0), args.get(1)), Type.VALUE, Type.VALUE));
    add(m, Func.of("ne", args -> !eq(args.get(0), List.of(args.get(1))), Type.VALUE, Type.VALUE));
    return Map.copyOf(m);
  }

  private static void add(Map<String, Func> m, Func f) {
    m.put(f.name(), f);
  }

  /** {@code call}: {@code fn} applied to the arguments, checked as Go's reflection would. */
  static Object call(String callee, List<Object> argv) {
    Object fn = argv.getFirst();
    List<Object> args = argv.subList(1, argv.size());
    if (fn instanceof Nothing) throw new Failure("call of nil");
    if (!(fn instanceof Func f)) throw new Failure("non-function " + callee + " of type " + Values.typeName(fn));
    int numIn = f.params().size();
    if (f.variadic()) {
      if (args.size() < numIn - 1) {
        throw new Failure("wrong number of args for " + callee + ": got " + args.size() + " want at least " + (numIn - 1));
      }
    } else if (args.size() != numIn) {
      throw new Failure("wrong number of args for " + callee + ": got " + args.size() + " want " + numIn);
    }
    List<Object> converted = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      Type t = f.variadic() && i >= numIn - 1 ? f.params().getLast() : f.params().get(i);
      Object arg = args.get(i);
      if (arg instanceof Nothing) {
        if (!t.canBeNil()) throw new Failure("arg " + i + ": value is nil; should be of type " + t.goName());
        converted.add(t == Type.STRINGS ? new GoList(List.of()) : Nothing.NO_VALUE);
      } else if (assignable(arg, t)) {
        converted.add(arg);
      } else {
        throw new Failure("arg " + i + ": value has type " + Values.typeName(arg) + "; should be " + t.goName());
      }
    }
    return f.body().call(converted);
  }

  private static boolean assignable(Object v, Type t) {
    return switch (t) {
      case ANY, VALUE -> true;
      case STRING -> v instanceof String;
      case INT -> v instanceof Long;
      case FLOAT -> v instanceof Double;
      case BOOL -> v instanceof Boolean;
      case STRINGS -> v instanceof GoList l && l.allStrings();
    };
  }

  // index, slice, len

  /**
   * {@code index item i...}. One adaptation for data without Go types: a missing or null map
   * indexed by a string is a nil {@code map[string]string} (Docker's {@code .Config.Labels} when an
   * image has none) and yields "".
   */
  static Object index(Object item, List<Object> indexes) {
    if (item instanceof Nothing && indexes.size() == 1 && indexes.getFirst() instanceof String) return "";
    if (item instanceof Nothing) throw new Failure("index of untyped nil");
    for (Object idx : indexes) {
      switch (item) {
        case Nothing n -> {
          if (idx instanceof String) {
            item = "";
            continue;
          }
          throw new Failure("index of nil pointer");
        }
        case GoList l -> {
          int x = indexArg(idx, l.size());
          if (x == l.size()) throw new Failure("reflect: slice index out of range");
          item = l.get(x);
        }
        case String s -> {
          byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
          int x = indexArg(idx, bytes.length);
          if (x == bytes.length) throw new Failure("reflect: string index out of range");
          item = (long) (bytes[x] & 0xff);
        }
        case GoMap m -> {
          String key = mapKey(m, idx);
          item = m.containsKey(key) ? m.get(key) : m.zero();
        }
        default -> throw new Failure("can't index item of type " + Values.typeName(item));
      }
    }
    return item;
  }

  private static String mapKey(GoMap m, Object idx) {
    String keyType = m.intKeys() ? "int" : "string";
    if (idx instanceof Nothing) throw new Failure("value is nil; should be of type " + keyType);
    if (m.intKeys() && idx instanceof Long l) return Long.toString(l);
    if (!m.intKeys() && idx instanceof String s) return s;
    throw new Failure("value has type " + Values.typeName(idx) + "; should be " + keyType);
  }

  private static int indexArg(Object idx, int cap) {
    long x = switch (idx) {
      case Long l -> l;
      case Nothing n -> throw new Failure("cannot index slice/array with nil");
      default -> throw new Failure("cannot index slice/array with type " + Values.typeName(idx));
    };
    if (x < 0 || x > cap) throw new Failure("index out of range: " + x);
    return (int) x;
  }

  static Object slice(Object item, List<Object> indexes) {
    if (item instanceof Nothing) throw new Failure("slice of untyped nil");
    if (indexes.size() > 3) throw new Failure("too many slice indexes: " + indexes.size());
    int cap;
    byte[] bytes = null;
    switch (item) {
      case String s -> {
        if (indexes.size() == 3) throw new Failure("cannot 3-index slice a string");
        bytes = s.getBytes(StandardCharsets.UTF_8);
        cap = bytes.length;
      }
      case GoList l -> cap = l.size();
      default -> throw new Failure("can't slice item of type " + Values.typeName(item));
    }
    int[] idx = {0, cap, 0};
    for (int i = 0; i < indexes.size(); i++) idx[i] = indexArg(indexes.get(i), cap);
    if (idx[0] > idx[1]) throw new Failure("invalid slice index: " + idx[0] + " > " + idx[1]);
    if (indexes.size() == 3 && idx[1] > idx[2]) throw new Failure("invalid slice index: " + idx[1] + " > " + idx[2]);
    if (bytes != null) return new String(bytes, idx[0], idx[1] - idx[0], StandardCharsets.UTF_8);
    return new GoList(((GoList) item).subList(idx[0], idx[1]));
  }

  static Object length(Object item) {
    return switch (item) {
      case Nothing n when n == Nothing.NIL -> 0L;
      case Nothing n -> throw new Failure("len of untyped nil");
      case GoList l -> (long) l.size();
      case GoMap m -> (long) m.size();
      case String s -> (long) s.getBytes(StandardCharsets.UTF_8).length;
      default -> throw new Failure("len of type " + Values.typeName(item));
    };
  }

  // Comparison

  private enum Kind { INVALID, BOOL, COMPLEX, INT, FLOAT, STRING }

  private static Kind basicKind(Object v) {
    return switch (v) {
      case Boolean b -> Kind.BOOL;
      case Long l -> Kind.INT;
      case Double d -> Kind.FLOAT;
      case Complex c -> Kind.COMPLEX;
      case String s -> Kind.STRING;
      default -> Kind.INVALID;
    };
  }

  static boolean eq(Object arg1, List<Object> arg2) {
    if (arg2.isEmpty()) throw new Failure("missing argument for comparison");
    Kind k1 = basicKind(arg1);
    for (Object arg : arg2) {
      Kind k2 = basicKind(arg);
      boolean truth = false;
      if (k1 != k2) {
        if (!(arg1 instanceof Nothing) && !(arg instanceof Nothing)) {
          throw new Failure("incompatible types for comparison: " + Values.typeName(arg1) + " and " + Values.typeName(arg));
        }
      } else if (k1 == Kind.INVALID) {
        boolean nil1 = arg1 instanceof Nothing;
        boolean nil2 = arg instanceof Nothing;
        if (!nil1 && !nil2 && arg1.getClass() != arg.getClass() && !(arg1 instanceof Struct && arg instanceof Struct)) {
          throw new Failure("non-comparable types " + fmtV(arg1) + ": " + Values.typeName(arg1) + ", "
              + Values.typeName(arg) + ": " + fmtV(arg));
        }
        if (nil1 || nil2) {
          truth = nil1 == nil2;
        } else {
          if (arg instanceof GoList || arg instanceof GoMap || arg instanceof Func) {
            throw new Failure("non-comparable type " + fmtV(arg) + ": " + Values.typeName(arg));
          }
          truth = arg1.equals(arg);
        }
      } else {
        truth = switch (k1) {
          case COMPLEX -> {
            Complex a = (Complex) arg1;
            Complex b = (Complex) arg;
            yield a.re() == b.re() && a.im() == b.im();
          }
          case FLOAT -> (double) (Double) arg1 == (double) (Double) arg;
          default -> arg1.equals(arg);
        };
      }
      if (truth) return true;
    }
    return false;
  }

  static boolean lt(Object arg1, Object arg2) {
    Kind k1 = basicKind(arg1);
    if (k1 == Kind.INVALID) throw new Failure("invalid type for comparison");
    Kind k2 = basicKind(arg2);
    if (k2 == Kind.INVALID) throw new Failure("invalid type for comparison");
    if (k1 != k2) {
      throw new Failure("incompatible types for comparison: " + Values.typeName(arg1) + " and " + Values.typeName(arg2));
    }
    return switch (k1) {
      case FLOAT -> (Double) arg1 < (Double) arg2;
      case INT -> (Long) arg1 < (Long) arg2;
      case STRING -> Values.compareStrings((String) arg1, (String) arg2) < 0;
      default -> throw new Failure("invalid type for comparison");
    };
  }

  static boolean le(Object arg1, Object arg2) {
    return lt(arg1, arg2) || eq(arg1, List.of(arg2));
  }

  private static String fmtV(Object v) {
    return GoFmt.sprint(List.of(v));
  }

  // Escapers

  /** Go's {@code evalArgs}: one string as is, else {@code fmt.Sprint} with no value shown as {@code <no value>}. */
  static String evalArgs(List<Object> args) {
    if (args.size() == 1 && args.getFirst() instanceof String s) return s;
    List<Object> printable = new ArrayList<>(args.size());
    for (Object a : args) printable.add(a == Nothing.NO_VALUE ? "<no value>" : a);
    return GoFmt.sprint(printable);
  }

  static String htmlEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case 0 -> sb.append('\uFFFD');
        case '"' -> sb.append("&#34;");
        case '\'' -> sb.append("&#39;");
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String jsEscape(String s) {
    String hex = "0123456789ABCDEF";
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      switch (r) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '"' -> sb.append("\\\"");
        case '<' -> sb.append("\\u003C");
        case '>' -> sb.append("\\u003E");
        case '&' -> sb.append("\\u0026");
        case '=' -> sb.append("\\u003D");
        default -> {
          if (r < ' ') {
            sb.append("\\u00").append(hex.charAt(r >> 4)).append(hex.charAt(r & 0xf));
          } else if (r < 0x80 || GoFmt.isPrint(r)) {
            sb.appendCodePoint(r);
          } else {
            String h = Integer.toHexString(r).toUpperCase(java.util.Locale.ROOT);
            sb.append("\\u").append("0".repeat(Math.max(0, 4 - h.length()))).append(h);
          }
        }
      }
    }
    return sb.toString();
  }

  /** Go's {@code url.QueryEscape}. */
  static String queryEscape(String s) {
    String hex = "0123456789ABCDEF";
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
          || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(hex.charAt(c >> 4)).append(hex.charAt(c & 0xf));
      }
    }
    return sb.toString();
  }
}
