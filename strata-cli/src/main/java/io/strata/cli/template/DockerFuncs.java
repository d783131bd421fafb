package io.strata.cli.template;

import io.strata.cli.template.Func.Failure;
import io.strata.cli.template.Func.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The functions the Docker CLI adds to every {@code --format} template ({@code templates.Parse}):
 * {@code json}, {@code split}, {@code join}, {@code title}, {@code lower}, {@code upper},
 * {@code pad}, {@code truncate}; and the header variants a {@code table} format's header row is
 * executed with, which leave the column titles intact.
 */
public final class DockerFuncs {
  private static final Map<String, Func> BASIC = Map.of(
      "json", Func.of("json", args -> json(args.getFirst()), Type.ANY),
      "split", Func.of("split", args -> split((String) args.get(0), (String) args.get(1)), Type.STRING, Type.STRING),
      "join", Func.of("join", args -> join((GoList) args.get(0), (String) args.get(1)), Type.STRINGS, Type.STRING),
      "title", Func.of("title", args -> title((String) args.getFirst()), Type.STRING),
      "lower", Func.of("lower", args -> mapRunes((String) args.getFirst(), false), Type.STRING),
      "upper", Func.of("upper", args -> mapRunes((String) args.getFirst(), true), Type.STRING),
      "pad", Func.of("pad", args -> pad((String) args.get(0), (Long) args.get(1), (Long) args.get(2)),
          Type.STRING, Type.INT, Type.INT),
      "truncate", Func.of("truncate", args -> truncate((String) args.get(0), (Long) args.get(1)), Type.STRING, Type.INT));

  private static final Map<String, Func> HEADER = Map.of(
      "json", Func.of("json", List::getFirst, Type.STRING),
      "split", Func.of("split", List::getFirst, Type.STRING, Type.STRING),
      "join", Func.of("join", List::getFirst, Type.STRING, Type.STRING),
      "title", Func.of("title", List::getFirst, Type.STRING),
      "lower", Func.of("lower", List::getFirst, Type.STRING),
      "upper", Func.of("upper", List::getFirst, Type.STRING),
      "truncate", Func.of("truncate", List::getFirst, Type.STRING, Type.INT));

  private DockerFuncs() {}

  /** Docker's {@code basicFunctions}. */
  public static Map<String, Func> basic() {
    return BASIC;
  }

  /** Docker's {@code HeaderFunctions}: executed over the header map, they return the column title as it is. */
  public static Map<String, Func> header() {
    return HEADER;
  }

  /** Docker's {@code templates.Parse}: the anonymous template "" with Docker's functions. */
  public static Template parse(String format) {
    return Template.parse("", format, BASIC);
  }

  /** {@code json}: Go's JSON encoder without HTML escaping, trailing newline trimmed; "" when not encodable. */
  static String json(Object v) {
    String s = GoJson.encode(v, false);
    return s == null ? "" : s;
  }

  /** Go's {@code strings.Split}: an empty separator splits after each character. */
  static GoList split(String s, String sep) {
    List<Object> parts = new ArrayList<>();
    if (sep.isEmpty()) {
      s.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
      return new GoList(parts);
    }
    int from = 0;
    int at;
    while ((at = s.indexOf(sep, from)) >= 0) {
      parts.add(s.substring(from, at));
      from = at + sep.length();
    }
    parts.add(s.substring(from));
    return new GoList(parts);
  }

  static String join(GoList items, String sep) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) sb.append(sep);
      sb.append((String) items.get(i));
    }
    return sb.toString();
  }

  /** Go's {@code strings.Title}: the first letter of every word in title case. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int prev = ' ';
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      sb.appendCodePoint(isSeparator(prev) ? Character.toTitleCase(r) : r);
      prev = r;
    }
    return sb.toString();
  }

  private static boolean isSeparator(int r) {
    if (r <= 0x7f) {
      return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_');
    }
    if (Character.isLetter(r) || Character.isDigit(r)) return false;
    return Character.isWhitespace(r) || Character.isSpaceChar(r) || r == 0x85;
  }

  /** Go's {@code strings.ToUpper}/{@code ToLower}: rune by rune, so "ß" stays one letter. */
  static String mapRunes(String s, boolean upper) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(r -> sb.appendCodePoint(upper ? Character.toUpperCase(r) : Character.toLowerCase(r)));
    return sb.toString();
  }

  static String pad(String s, long prefix, long suffix) {
    if (s.isEmpty()) return s;
    if (prefix < 0 || suffix < 0) throw new Failure("strings: negative Repeat count");
    return " ".repeat((int) prefix) + s + " ".repeat((int) suffix);
  }

  /** Docker's {@code truncate}: the first {@code length} bytes, when the string is at least that long. */
  static String truncate(String s, long length) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < length) return s;
    if (length < 0) throw new Failure("runtime error: slice bounds out of range [:" + length + "]");
    return new String(bytes, 0, (int) length, StandardCharsets.UTF_8);
  }
}
