package io.strata.image;

import io.strata.errdefs.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an instruction's arguments into words as the Dockerfile parser does for ENV and LABEL:
 * whitespace separates words, double and single quotes group and are removed, a backslash
 * escapes the next character (outside single quotes).
 */
final class ShellWords {
  private ShellWords() {}

  static List<String> split(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == '\'') {
        if (c == '\'') quote = 0;
        else word.append(c);
      } else if (c == '\\' && i + 1 < s.length()) {
        word.append(s.charAt(++i));
        inWord = true;
      } else if (quote == '"') {
        if (c == '"') quote = 0;
        else word.append(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) words.add(word.toString());
        word.setLength(0);
        inWord = false;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) throw new InvalidArgumentException("unterminated quote in " + ImageNames.quote(s));
    if (inWord) words.add(word.toString());
    return words;
  }
}
