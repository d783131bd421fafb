package io.strata.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table laid out like Go's {@code text/tabwriter} as docker configures it
 * ({@code tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)}): every cell but the last of a row is padded
 * to its column's width, which is the widest cell plus 3 spaces and at least 10; the last cell is
 * written as is. Widths count code points, as tabwriter counts runes.
 */
public final class Table {
  static final int MIN_WIDTH = 10;
  static final int PADDING = 3;

  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    rows.add(List.of(header));
  }

  /** A table with no header line (docker's {@code --format 'table …'} always has one; -q has none). */
  public static Table headless() {
    Table t = new Table();
    t.rows.clear();
    return t;
  }

  public Table row(String... cells) {
    rows.add(List.of(cells));
    return this;
  }

  public int size() {
    return rows.size();
  }

  public void print(PrintWriter out) {
    out.print(render());
    out.flush();
  }

  public String render() {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[Math.max(columns - 1, 0)];
    for (int c = 0; c < widths.length; c++) {
      int w = MIN_WIDTH;
      for (List<String> row : rows) {
        if (c < row.size() - 1) w = Math.max(w, width(row.get(c)) + PADDING);
      }
      widths[c] = w;
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        sb.append(cell);
        if (c < row.size() - 1) sb.repeat(' ', widths[c] - width(cell));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
