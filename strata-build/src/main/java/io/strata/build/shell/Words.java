package io.strata.build.shell;

import java.util.ArrayList;
import java.util.List;

/** Field splitting of {@link ShellLexer#processWords}: only text added with {@link #addChar} splits. */
final class Words {
  private final List<String> words = new ArrayList<>();
  private final StringBuilder word = new StringBuilder();

  /** Unquoted text and expansions: whitespace ends the current word. */
  void addChar(int ch) {
    if (isSpace(ch)) {
      flush();
    } else {
      word.appendCodePoint(ch);
    }
  }

  void addString(String s) {
    s.codePoints().forEach(this::addChar);
  }

  /** Quoted or escaped text: kept in the current word, whitespace included. */
  void addRaw(int ch) {
    word.appendCodePoint(ch);
  }

  void addRaw(String s) {
    word.append(s);
  }

  List<String> get() {
    flush();
    return List.copyOf(words);
  }

  private void flush() {
    if (!word.isEmpty()) {
      words.add(word.toString());
      word.setLength(0);
    }
  }

  /** Go's {@code unicode.IsSpace}: Latin-1 spaces (NEL and NBSP included), then Unicode's Z categories. */
  static boolean isSpace(int ch) {
    if (ch <= 0xff) return ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == 0x85 || ch == 0xa0;
    return Character.isSpaceChar(ch);
  }
}
