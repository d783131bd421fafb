package io.strata.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TtyProgressTest {
  /** What a terminal would show: each line as it is after its last clear-line. */
  private static List<String> screen(ByteArrayOutputStream raw) {
    return Arrays.stream(raw.toString(StandardCharsets.UTF_8).split("\n"))
        .map(l -> l.substring(l.lastIndexOf("\r\033[2K") < 0 ? 0 : l.lastIndexOf("\r\033[2K") + 5)).toList();
  }

  @Test
  void stepsCachedStepsOutputAndTheSummary() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    BuildProgress p = BuildProgress.tty(new PrintStream(raw, true, StandardCharsets.UTF_8), 60);
    p.step(1, 3, "FROM base");
    p.stepDone();
    p.step(2, 3, "COPY a\n  /a");
    p.cached();
    p.stepDone();
    p.step(3, 3, "RUN make all with a very long command line that does not fit on the terminal at all");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    OutputStream out = p.stepOutput(captured);
    out.write("compil".getBytes(StandardCharsets.UTF_8));
    out.write("ing\nlast line without newline".getBytes(StandardCharsets.UTF_8));
    p.stepDone();
    p.finish(true);
    List<String> lines = screen(raw);
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
  void aFailedBuildEndsWithError() {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    BuildProgress p = BuildProgress.tty(new PrintStream(raw, true, StandardCharsets.UTF_8), 80);
    p.step(1, 2, "RUN false");
    p.finish(false);
    List<String> lines = screen(raw);
    assertTrue(lines.getLast().matches("\\[\\+] Building \\d+\\.\\ds \\(0/2\\) ERROR"), lines.toString());
  }
}
