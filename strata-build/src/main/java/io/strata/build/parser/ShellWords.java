package io.strata.build.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * The parser's word splitting for ARG, ENV and LABEL (not expansion): words end at unquoted
 * whitespace; quotes stay in the word; outside single quotes the escape character and the next
 * character are both kept; an escape character at the very end is dropped.
 */
final class ShellWords {
  private ShellWords() {}

  static List<String> split(String s, char escape) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (inWord) words.add(word.toString());
        word.setLength(0);
        inWord = false;
        continue;
      }
      inWord = true;
      if (c == escape && quote != '\'') {
        if (i + 1 >= s.length()) break; // a trailing escape is dropped
        word.append(c).append(s.charAt(++i));
        continue;
      }
      if (quote == 0 && (c == '"' || c == '\'')) quote = c;
      else if (quote == c) quote = 0;
      word.append(c);
    }
    if (inWord) words.add(word.toString());
    return words;
  }
}
