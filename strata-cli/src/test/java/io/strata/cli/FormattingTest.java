package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.cli.template.Row;
import io.strata.errdefs.InvalidArgumentException;
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
    // as Go's text/template: a field the rows lack is an execution error, so it needs a row to fail
    assertEquals("", print("{{.Nope}}", List.of()));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> print("{{.Nope}}", rows));
    assertEquals("template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type"
        + " *formatter.ImageContext", e.getMessage());
    assertEquals(ExitCodes.ERROR, ExitCodes.of(e));
  }

  @Test
  void parseErrorsFailBeforeAnyRow() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> print("{{.Tag}", List.of()));
    assertEquals("template parsing error: template: :1: unexpected \"}\" in operand", e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> print("table {{range .Tag}}", List.of()));
    assertEquals("template parsing error: template: :1: unexpected EOF", e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> print("{{nope .Tag}}", List.of()));
    assertEquals("template parsing error: template: :1: function \"nope\" not defined", e.getMessage());
  }

  @Test
  void listingsTakeGoTemplates() {
    List<Map<String, String>> rows = List.of(Map.of("Repository", "library/busybox", "Tag", "latest"),
        Map.of("Repository", "alpine", "Tag", "<none>"));
    assertEquals("[library][busybox]\n[alpine]\n", print("{{range split .Repository \"/\"}}[{{.}}]{{end}}", rows));
    assertEquals("L\n<none>\n", print("{{if eq .Tag \"latest\"}}L{{else}}{{.Tag}}{{end}}", rows));
    assertEquals("library/busybox|latest\nalpine         |<none>\n", print("{{printf \"%-15s|%s\" .Repository .Tag}}", rows));
    assertEquals("library/busybox\nlatest\nalpine\n<none>\n", print("{{.Repository}}\\n{{.Tag}}", rows));
    assertEquals("LIBRARY/BUSYBOX 6\nALPINE 6\n", print("{{upper .Repository}} {{len .Tag}}", rows));
    assertEquals("{\"Repository\":\"alpine\",\"Tag\":\"\\u003cnone\\u003e\"}\n", print("json", rows.subList(1, 2)));
    assertEquals("\"<none>\"\n", print("{{json .Tag}}", rows.subList(1, 2)));
  }

  @Test
  void tablesHaveDockersHeaderRow() {
    List<Map<String, String>> rows = List.of(Map.of("Repository", "busybox", "Tag", "latest", "ID", "0123456789ab"));
    // titles from the command's headers; a field without one is its name upper-cased
    assertEquals("REPOSITORY   ID             TAG\nbusybox      0123456789ab   latest\n",
        print("table {{.Repository}}\\t{{.ID}}\\t{{.Tag}}", rows));
    // the header functions leave titles intact
    assertEquals("TAG        TAG\n\"latest\"   LATEST\n", print("table {{json .Tag}}\\t{{upper .Tag}}", rows));
    assertEquals("TAG\n", print("table {{.Tag}}", List.of()));
    assertEquals("REPOSITORY\nTAG\nbusybox\nlatest\n", print("table {{.Repository}}\\n{{.Tag}}", rows));
  }

  @Test
  void rowsWithMethods() {
    Row web = Row.of("*formatter.ContainerContext", Map.of("Names", "web", "State", "running"))
        .withLabels(Map.of("com.example.vendor", "ACME"));
    Row db = Row.of("*formatter.ContainerContext", Map.of("Names", "db", "State", "exited")).withLabels(Map.of());
    Map<String, String> headers = Map.of("Names", "NAMES", "State", "STATE", "Labels", "LABELS");
    StringWriter sw = new StringWriter();
    new OutputFormat("table {{.Names}}\\t{{.Label \"com.example.vendor\"}}\\t{{.Labels}}")
        .printRows(List.of(web, db), "table {{.Names}}", headers, new PrintWriter(sw));
    assertEquals("NAMES     vendor    LABELS\nweb       ACME      com.example.vendor=ACME\ndb                  \n", sw.toString());
    sw = new StringWriter();
    new OutputFormat(null).printRows(List.of(web), "table {{.Names}}\\t{{.State}}", headers, new PrintWriter(sw));
    assertEquals("NAMES     STATE\nweb       running\n", sw.toString());
  }

  @Test
  void inspectTakesGoTemplates() throws Exception {
    JsonNode image = new ObjectMapper().readTree("{\"Id\":\"sha256:abc\",\"RepoTags\":[\"a:1\",\"a:2\"],"
        + "\"Config\":{\"Cmd\":[\"sh\",\"-c\",\"x\"],\"Env\":[\"A=<b>\"],\"Labels\":{\"org.opencontainers.image.title\":\"demo\"}},"
        + "\"Size\":1234,\"Os\":\"linux\"}");
    assertEquals("sha256:abc", InspectTemplate.expand("{{.Id}}", image));
    assertEquals("[sh -c x]", InspectTemplate.expand("{{.Config.Cmd}}", image));
    assertEquals("{\"Cmd\":[\"sh\",\"-c\",\"x\"],\"Env\":[\"A=<b>\"],\"Labels\":{\"org.opencontainers.image.title\":\"demo\"}}",
        InspectTemplate.expand("{{json .Config}}", image));
    assertEquals("demo", InspectTemplate.expand("{{index .Config.Labels \"org.opencontainers.image.title\"}}", image));
    assertEquals("a:1,a:2,", InspectTemplate.expand("{{range .RepoTags}}{{.}},{{end}}", image));
    assertEquals("1234 linux <no value>", InspectTemplate.expand("{{.Size}} {{.Os}} {{.Nope}}", image));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> InspectTemplate.expand("{{range .RepoTags}}", image));
    assertEquals("template parsing error: template: :1: unexpected EOF", e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> InspectTemplate.expand("{{index .RepoTags 5}}", image));
    assertEquals("template parsing error: template: :1:2: executing \"\" at <index .RepoTags 5>: error calling index:"
        + " index out of range: 5", e.getMessage());
  }

  private static String print(String format, List<Map<String, String>> rows) {
    StringWriter sw = new StringWriter();
    new OutputFormat(format).print(rows, "table {{.Repository}}\\t{{.Tag}}", HEADERS, new PrintWriter(sw));
    return sw.toString();
  }
}
