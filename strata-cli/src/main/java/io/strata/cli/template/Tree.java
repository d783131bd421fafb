package io.strata.cli.template;

import io.strata.cli.template.Node.ListNode;

/** One parsed template: its name, the name of the template text it came from (for messages), and its root. */
record Tree(String name, String parseName, String text, ListNode root) {
  /** Go's {@code ErrorContext}: {@code name:line:column} (column in bytes from the line's start) and the node's text. */
  String[] errorContext(Node n) {
    int pos = Math.min(n.pos(), text.length());
    String before = text.substring(0, pos);
    int nl = before.lastIndexOf('\n');
    int byteNum = utf8Length(nl < 0 ? before : before.substring(nl + 1));
    int lineNum = 1 + (int) before.chars().filter(c -> c == '\n').count();
    return new String[] {parseName + ":" + lineNum + ":" + byteNum, n.toString()};
  }

  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /** Go's {@code IsEmptyTree}: only space and comments. */
  static boolean isEmpty(Node n) {
    return switch (n) {
      case null -> true;
      case ListNode l -> l.nodes().stream().allMatch(Tree::isEmpty);
      case Node.TextNode t -> t.text().codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85);
      default -> false;
    };
  }
}
