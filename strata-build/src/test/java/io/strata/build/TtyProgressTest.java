package io.strata.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TtyProgressTest {
  /** What a terminal shows after {@code raw}: text, newlines, carriage returns, cursor up (ESC[nA) and clear to the end (ESC[J). */
  private static List<String> screen(ByteArrayOutputStream raw) {
    String s = raw.toString(StandardCharsets.UTF_8);
    List<StringBuilder> rows = new ArrayList<>(List.of(new StringBuilder()));
    int row = 0;
    int col = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\033') {
        int end = i + 2;
        while (!Character.isLetter(s.charAt(end))) end++;
        String arg = s.substring(i + 2, end);
        if (s.charAt(end) == 'A') row -= Integer.parseInt(arg);
        if (s.charAt(end) == 'J') {
          rows.get(row).setLength(col);
          while (rows.size() > row + 1) rows.removeLast();
        }
        i = end;
      } else if (c == '\r') {
        col = 0;
      } else if (c == '\n') {
        row++;
        col = 0;
        if (rows.size() <= row) rows.add(new StringBuilder());
      } else {
        StringBuilder r = rows.get(row);
        if (col < r.length()) r.setCharAt(col, c);
        else r.append(c);
        col++;
      }
    }
    List<String> out = new ArrayList<>(rows.stream().map(StringBuilder::toString).toList());
    if (out.getLast().isEmpty()) out.removeLast();
    return out;
  }

  @Test
  void stepsCachedStepsOutputAndTheSummary() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    BuildProgress p = BuildProgress.tty(new PrintStream(raw, true, StandardCharsets.UTF_8), 60);
    p.step(1, 3, "FROM base").done();
    BuildProgress.Step copy = p.step(2, 3, "COPY a\n  /a");
    copy.cached();
    copy.done();
    BuildProgress.Step run = p.step(3, 3, "RUN make all with a very long command line that does not fit on the terminal at all");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    OutputStream out = run.output(captured);
    out.write("compil".getBytes(StandardCharsets.UTF_8));
    out.write("ing\nlast line without newline".getBytes(StandardCharsets.UTF_8));
    run.done();
    p.finish(true);
    List<String> lines = screen(raw);
    assertEquals(6, lines.size(), lines.toString());
    assertTrue(lines.get(0).matches(" => \\[1/3\\] FROM base +\\d+\\.\\ds"), lines.get(0));
    assertTrue(lines.get(1).matches(" => CACHED \\[2/3\\] COPY a /a +\\d+\\.\\ds"), lines.get(1));
    assertEquals("compiling", lines.get(2));
    assertEquals("last line without newline", lines.get(3));
    assertTrue(lines.get(4).startsWith(" => [3/3] RUN make all") && lines.get(4).contains("…"), lines.get(4));
    assertEquals(59, lines.get(4).length(), "cut to one less than the terminal's width: it never wraps");
    assertTrue(lines.get(5).matches("\\[\\+] Building \\d+\\.\\ds \\(3/3\\) FINISHED"), lines.get(5));
    assertEquals("compiling\nlast line without newline", captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void stepsRunningAtOnceEachHaveALiveLine() {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    BuildProgress p = BuildProgress.tty(new PrintStream(raw, true, StandardCharsets.UTF_8), 80);
    BuildProgress.Step a = p.step(2, 4, "RUN in stage a");
    BuildProgress.Step b = p.step(4, 4, "RUN in stage b");
    List<String> live = screen(raw);
    assertEquals(2, live.size(), live.toString());
    assertTrue(live.get(0).startsWith(" => [2/4] RUN in stage a") && live.get(1).startsWith(" => [4/4] RUN in stage b"), live.toString());
    b.done();
    List<String> after = screen(raw);
    assertTrue(after.get(0).startsWith(" => [4/4] RUN in stage b") && after.get(1).startsWith(" => [2/4] RUN in stage a"),
        "the finished step is printed above the one still running: " + after);
    a.done();
    p.finish(false);
    List<String> end = screen(raw);
    assertEquals(3, end.size(), end.toString());
    assertTrue(end.getLast().matches("\\[\\+] Building \\d+\\.\\ds \\(2/4\\) ERROR"), end.toString());
  }
}
