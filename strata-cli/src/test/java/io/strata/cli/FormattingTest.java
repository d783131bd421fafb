package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JsonLine}, {@link Display} and {@link OutputFormat}: docker's text forms. */
class FormattingTest {
  private static final Map<String, String> HEADERS = Map.of("Repository", "REPOSITORY", "Tag", "TAG");

  @Test
  void jsonLineSortsKeysAndEscapesLikeGo() {
    String line = new JsonLine().put("Tag", "<none>").put("ID", "a&b").put("Comment", "x\"y\n").toString();
    assertEquals("{\"Comment\":\"x\\\"y\\n\",\"ID\":\"a\\u0026b\",\"Tag\":\"\\u003cnone\\u003e\"}", line);
  }

  @Test
  void idsTruncateToTwelveHexCharacters() {
    assertEquals("0123456789ab", Display.truncateId("sha256:0123456789abcdef0123456789abcdef"));
    assertEquals("<missing>", Display.truncateId("<missing>"));
  }

  @Test
  void timesFormatLikeGo() {
    Instant t = Instant.parse("2024-01-02T15:04:05.123Z");
    assertEquals("2024-01-02 15:04:05 +0000 UTC", Display.goTime(t, ZoneOffset.UTC));
    assertEquals("2024-01-02 15:04:05 +0000 UTC", Display.goTime(t, ZoneId.of("Etc/UTC")));
    assertEquals("2024-01-02T15:04:05Z", Display.rfc3339(t, ZoneOffset.UTC));
    assertEquals("2024-01-02T16:04:05+01:00", Display.rfc3339(t, ZoneOffset.ofHours(1)));
    assertEquals("2 hours ago", Display.since(t, t.plusSeconds(7200)));
    assertEquals("N/A", Display.since(null, t));
  }

  @Test
  void ellipsisKeeps44CharactersAndAddsOne() {
    String createdBy = "/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in / ";
    String shown = Display.ellipsis(createdBy, 45);
    assertEquals(45, shown.codePointCount(0, shown.length()));
    assertEquals(createdBy.substring(0, 44) + "…", shown);
    assertEquals("short", Display.ellipsis("short", 45));
  }

  @Test
  void formatsTableJsonAndTemplates() {
    List<Map<String, String>> rows = List.of(Map.of("Repository", "busybox", "Tag", "latest"));
    assertEquals("REPOSITORY   TAG\nbusybox      latest\n",
        print(null, rows));
    assertEquals("{\"Repository\":\"busybox\",\"Tag\":\"latest\"}\n", print("json", rows));
    assertEquals("busybox:latest\n", print("{{.Repository}}:{{.Tag}}", rows));
    assertEquals("TAG\nlatest\n", print("table {{.Tag}}", rows));
    assertEquals("\"busybox\"\n", print("{{json .Repository}}", rows));
    assertThrows(ExitCodes.UsageException.class, () -> print("{{.Nope}}", List.of()));
  }

  private static String print(String format, List<Map<String, String>> rows) {
    StringWriter sw = new StringWriter();
    new OutputFormat(format).print(rows, "table {{.Repository}}\\t{{.Tag}}", HEADERS, new PrintWriter(sw));
    return sw.toString();
  }
}
