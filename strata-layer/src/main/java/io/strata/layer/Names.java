package io.strata.layer;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.ResourceExhaustedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lexical rules for tar entry names and link targets. An entry gets exactly one canonical name
 * here (S16: the checker and the extractor see the same thing), before any filesystem access.
 */
final class Names {
  static final int MAX_NAME_BYTES = 4096;

  private Names() {}

  /**
   * The components of an entry's own name below the root: a leading {@code /} is dropped (as tar
   * does), {@code .} and empty components vanish, {@code ..} pops. An empty list is the root itself.
   * A name that climbs above the root, is empty, holds a NUL or is too long is rejected.
   */
  static List<String> entryPath(String name) {
    if (name.isEmpty()) {
      throw new InvalidArgumentException("layer entry \"\": empty name");
    }
    if (name.indexOf('\0') >= 0) {
      throw new InvalidArgumentException("layer entry " + quote(name) + ": name contains a nul byte");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new ResourceExhaustedException(
          "layer entry " + quote(name) + ": name longer than " + MAX_NAME_BYTES + " bytes");
    }
    List<String> parts = new ArrayList<>();
    for (String c : name.split("/")) {
      switch (c) {
        case "", "." -> {}
        case ".." -> {
          if (parts.isEmpty()) {
            throw new InvalidArgumentException("layer entry " + quote(name) + ": path escapes the root");
          }
          parts.removeLast();
        }
        default -> parts.add(c);
      }
    }
    return parts;
  }

  /** Splits a link target into components, keeping {@code ..} for in-root resolution (which clamps it). */
  static List<String> split(String target) {
    List<String> parts = new ArrayList<>();
    for (String c : target.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) parts.add(c);
    }
    return parts;
  }

  static String join(List<String> parts) {
    return String.join("/", parts);
  }

  /** The start of an error message about an entry: {@code layer entry "a/b": }, or {@code layer: } before any entry. */
  static String entryPrefix(String entry) {
    return entry.isEmpty() ? "layer: " : "layer entry " + quote(entry) + ": ";
  }

  /** A name quoted for an error message, shortened and with control characters escaped. */
  static String quote(String s) {
    String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    StringBuilder sb = new StringBuilder("\"");
    for (char ch : shown.toCharArray()) {
      if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
      else if (ch < 0x20 || ch == 0x7f) sb.append(String.format("\\x%02x", (int) ch));
      else sb.append(ch);
    }
    return sb.append('"').toString();
  }
}
