package io.strata.cli;

import static io.strata.testkit.TarFixture.dir;
import static io.strata.testkit.TarFixture.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.oci.Json;
import io.strata.testkit.TarFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata's commands run in-process ({@link Cli#run}) against a temporary store. */
class CliTest {
  private static final String HEADER = "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n";

  @TempDir Path tmp;

  record Result(int code, String out, String err, byte[] bytes) {}

  private Result run(byte[] stdin, boolean stdoutIsTerminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Streams streams = new Streams(new ByteArrayInputStream(stdin), out,
        new PrintStream(err, true, StandardCharsets.UTF_8), false, stdoutIsTerminal, Map.of());
    String[] argv = Stream.concat(Stream.of("--root", tmp.resolve("store").toString()), Arrays.stream(args))
        .toArray(String[]::new);
    int code = Cli.run(streams, argv);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), out.toByteArray());
  }

  private Result run(String... args) {
    return run(new byte[0], false, args);
  }

  private Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + " failed: " + r.err());
    return r;
  }

  /** Imports a small root filesystem as {@code ref}; {@code body} makes images differ. */
  private String importImage(String ref, String body) throws IOException {
    Path tar = tmp.resolve("rootfs-" + body.hashCode() + ".tar");
    Files.write(tar, TarFixture.of(dir("bin", 0755), file("bin/hello", body, 0755), dir("etc", 0755),
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644)).bytes());
    Result r = ok("import", "-c", "CMD [\"/bin/hello\"]", "-m", "test import", tar.toString(), ref);
    String id = r.out().strip();
    assertTrue(id.matches("sha256:[0-9a-f]{64}"), "import prints the image ID: " + id);
    return id;
  }

  private static String shortId(String id) {
    return id.substring("sha256:".length(), "sha256:".length() + 12);
  }

  @Test
  void imagesOnEmptyStorePrintsTheHeaderOnly() {
    assertEquals(HEADER, ok("images").out());
    assertEquals("", ok("images", "-q").out());
    assertEquals("", ok("images", "--format", "json").out());
  }

  @Test
  void imagesListsOneRowPerTagInDockerColumns() throws IOException {
    String id = importImage("demo/app:1.0", "one");
    ok("tag", "demo/app:1.0", "demo/app:latest");
    List<String> lines = ok("images").out().lines().toList();
    assertEquals(3, lines.size(), lines::toString);
    assertEquals(List.of("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"), columns(lines.getFirst()));
    for (String line : lines.subList(1, 3)) {
      List<String> cells = columns(line);
      assertEquals("demo/app", cells.get(0));
      assertEquals(shortId(id), cells.get(2));
      assertTrue(cells.get(3).endsWith(" ago"), line);
      assertTrue(cells.get(4).matches("[0-9.]+(B|kB|MB)"), line);
    }
    assertEquals(lines.get(0).indexOf("TAG"), lines.get(1).indexOf(columns(lines.get(1)).get(1)), "aligned");
    assertEquals(List.of(shortId(id), shortId(id)), ok("images", "-q").out().lines().toList());
    assertEquals(id + "\n", ok("images", "-q", "--no-trunc", "demo/app:1.0").out());
  }

  @Test
  void imagesJsonIsOneDockerObjectPerLine() throws IOException {
    String id = importImage("demo/app:1.0", "json");
    List<String> lines = ok("images", "--format", "json").out().lines().toList();
    assertEquals(1, lines.size());
    JsonNode row = Json.mapper().readTree(lines.getFirst());
    assertEquals("demo/app", row.get("Repository").asText());
    assertEquals("1.0", row.get("Tag").asText());
    assertEquals(shortId(id), row.get("ID").asText());
    assertEquals("<none>", row.get("Digest").asText());
    assertTrue(lines.getFirst().contains("\\u003cnone\\u003e"), "Go escapes < and >");
    for (String field : List.of("CreatedAt", "CreatedSince", "Size", "Containers", "SharedSize", "UniqueSize")) {
      assertTrue(row.has(field), field);
    }
  }

  @Test
  void rmiUntagsThenDeletes() throws IOException {
    String id = importImage("demo/app:1.0", "rmi");
    ok("tag", "demo/app:1.0", "other:2");
    assertEquals("Untagged: demo/app:1.0\n", ok("rmi", "demo/app:1.0").out());
    assertEquals(1, ok("images", "-q").out().lines().count());
    assertEquals("Untagged: other:2\nDeleted: " + id + "\n", ok("image", "rm", "other:2").out());
    assertEquals(HEADER, ok("images").out());
  }

  @Test
  void aDanglingImageIsListedAsNoneAndPruned() throws IOException {
    String first = importImage("demo/app:1", "first");
    String second = importImage("demo/app:1", "second");
    List<String> dangling = ok("images", "-f", "dangling=true").out().lines().toList();
    assertEquals(2, dangling.size(), dangling::toString);
    assertEquals(List.of("<none>", "<none>", shortId(first)), columns(dangling.get(1)).subList(0, 3));
    assertEquals(shortId(second) + "\n", ok("images", "-q", "-f", "dangling=false").out());
    String pruned = ok("image", "prune", "-f").out();
    assertTrue(pruned.startsWith("Deleted Images:\ndeleted: " + first + "\n"), pruned);
    assertTrue(pruned.contains("Total reclaimed space: "), pruned);
    assertEquals(shortId(second) + "\n", ok("images", "-q").out());
    assertEquals("Total reclaimed space: 0B\n", ok("image", "prune", "-f").out());
  }

  @Test
  void pruneWithoutForceAsksAndStopsOnNo() throws IOException {
    importImage("demo/app:1", "ask1");
    importImage("demo/app:1", "ask2");
    Result r = run("n\n".getBytes(StandardCharsets.UTF_8), false, "image", "prune");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith(PruneCommand.WARNING_DANGLING + "\nAre you sure you want to continue? [y/N] "));
    assertEquals(2, ok("images", "-q").out().lines().count(), "nothing removed");
  }

  @Test
  void historyShowsTheImportStep() throws IOException {
    String id = importImage("demo/app:1.0", "history");
    List<String> lines = ok("history", "demo/app:1.0").out().lines().toList();
    assertEquals(List.of("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"), columns(lines.getFirst()));
    assertEquals(2, lines.size(), lines::toString);
    assertTrue(lines.get(1).startsWith(shortId(id) + "   "), lines.get(1));
    assertTrue(lines.get(1).contains("test import"), lines.get(1));
    List<String> raw = ok("history", "-H=false", "--no-trunc", "demo/app:1.0").out().lines().toList();
    assertTrue(raw.getFirst().startsWith("IMAGE") && raw.getFirst().contains("CREATED AT"), raw.getFirst());
    assertTrue(raw.get(1).startsWith(id + "   "), raw.get(1));
    assertTrue(raw.get(1).matches(".*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d).*"), raw.get(1));
    JsonNode json = Json.mapper().readTree(ok("history", "--format", "json", "demo/app:1.0").out().lines().findFirst().orElseThrow());
    assertEquals("test import", json.get("Comment").asText());
    assertEquals(id + "\n", ok("history", "-q", "--no-trunc", "demo/app:1.0").out());
  }

  @Test
  void inspectPrintsADockerJsonArray() throws IOException {
    String id = importImage("demo/app:1.0", "inspect");
    Result r = ok("inspect", "demo/app:1.0");
    assertTrue(r.out().startsWith("[\n    {\n"), r.out());
    JsonNode array = Json.mapper().readTree(r.out());
    assertEquals(1, array.size());
    assertEquals(id + "\n", ok("inspect", "-f", "{{.Id}}", "demo/app:1.0").out());
  }

  @Test
  void unknownImageExitsOneWithAnErrorLine() {
    Result r = run("inspect", "nosuch");
    assertEquals(1, r.code());
    assertEquals("[]\n", r.out());
    assertTrue(r.err().startsWith("Error: ") && r.err().contains("nosuch"), r.err());
    assertEquals(1, run("history", "nosuch").code());
    assertEquals(1, run("rmi", "nosuch").code());
    assertEquals(1, run("tag", "nosuch", "other").code());
  }

  /** S36 (CVE-2019-13139): a git URL whose ref looks like a flag is refused before anything runs. */
  @Test
  void remoteBuildContextsAreRefusedWithoutRunningAnything() throws IOException {
    Path pwn = tmp.resolve("pwn");
    for (String context : List.of("https://h.invalid/r.git#--upload-pack=touch " + pwn, "git@h.invalid:r.git", "http://h.invalid/ctx.tar")) {
      Result r = run("build", context);
      assertEquals(1, r.code(), context);
      assertTrue(r.err().startsWith("Error: unable to prepare context: remote and stdin contexts are not supported"), r.err());
    }
    assertFalse(Files.exists(pwn));
  }

  @Test
  void usageErrorsExit125() {
    Result flag = run("images", "--bogus");
    assertEquals(125, flag.code());
    assertEquals("strata: unknown flag: --bogus\nSee 'strata images --help'.\n", flag.err());
    Result command = run("bogus");
    assertEquals(125, command.code());
    assertTrue(command.err().contains("'bogus' is not a strata command"), command.err());
    assertEquals(125, run("images", "-f", "nonsense").code());
    Result count = run("tag", "only-one");
    assertEquals(1, count.code(), "docker's cobra Args check exits 1");
    assertTrue(count.err().startsWith("\"strata tag\" requires exactly 2 arguments.\n"), count.err());
    assertEquals(0, run("images", "--help").code());
  }

  @Test
  void saveRefusesATerminalAndLoadRestoresTheSameId() throws IOException {
    String id = importImage("demo/app:1.0", "save");
    Result terminal = run(new byte[0], true, "save", "demo/app:1.0");
    assertEquals(1, terminal.code());
    assertEquals("Error: cowardly refusing to save to a terminal. Use the -o flag or redirect\n", terminal.err());
    byte[] archive = ok("save", "demo/app:1.0").bytes();
    ok("rmi", "demo/app:1.0");
    Result loaded = run(archive, false, "load");
    assertEquals(0, loaded.code(), loaded.err());
    assertEquals("Loaded image: demo/app:1.0\n", loaded.out());
    assertEquals(id + "\n", ok("images", "-q", "--no-trunc").out());
  }

  @Test
  void aTruncatedArchiveLeavesTheStoreUnchanged() throws IOException {
    importImage("demo/app:1.0", "truncated");
    Path saved = tmp.resolve("saved.tar");
    ok("save", "-o", saved.toString(), "demo/app:1.0");
    byte[] archive = Files.readAllBytes(saved);
    ok("rmi", "demo/app:1.0");
    importImage("keep:1", "keep");
    Map<String, Long> before = blobListing();
    String imagesBefore = ok("images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}").out();

    // cut inside the layer, in the middle of bin/hello's body (half the archive may be tar padding)
    int cut = indexOf(archive, "truncated".getBytes(StandardCharsets.US_ASCII)) + 4;
    assertTrue(cut > 4, "the layer is stored uncompressed in the archive");
    Path truncated = tmp.resolve("truncated.tar");
    Files.write(truncated, Arrays.copyOf(archive, cut));
    Result r = run("load", "-i", truncated.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("Error: ") && r.err().lines().count() == 1, r.err());

    assertEquals(before, blobListing());
    assertEquals(imagesBefore, ok("images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}").out());
    assertEquals(0, run("system", "fsck").code());
  }

  @Test
  void exportWritesTheFlattenedRootFilesystem() throws IOException {
    importImage("demo/app:1.0", "export");
    Path out = tmp.resolve("flat.tar");
    ok("image", "export", "-o", out.toString(), "demo/app:1.0");
    String listing = new String(Files.readAllBytes(out), StandardCharsets.ISO_8859_1);
    assertTrue(listing.contains("bin/hello"), "contains bin/hello");
    assertTrue(listing.contains("etc/passwd"), "contains etc/passwd");
  }

  @Test
  void systemDfAndFsck() throws IOException {
    importImage("demo/app:1.0", "df");
    List<String> df = ok("system", "df").out().lines().toList();
    assertEquals(List.of("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"), columns(df.getFirst()));
    assertEquals("Images", columns(df.get(1)).get(0));
    assertEquals("1", columns(df.get(1)).get(1));
    assertTrue(df.get(1).endsWith("(100%)"), df.get(1));
    assertFalse(ok("system", "df", "-v").out().isEmpty());
    assertEquals(0, run("system", "fsck").code());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** Cells of a tabwriter line: separated by at least two spaces ("IMAGE ID" has one). */
  private static List<String> columns(String line) {
    List<String> cells = new ArrayList<>();
    for (String cell : line.strip().split(" {2,}")) cells.add(cell);
    return cells;
  }

  private Map<String, Long> blobListing() throws IOException {
    Map<String, Long> listing = new TreeMap<>();
    Path blobs = tmp.resolve("store");
    try (Stream<Path> paths = Files.walk(blobs)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        String name = blobs.relativize(p).toString();
        if (name.startsWith("metadata.db")) continue; // SQLite's own files change on every open
        listing.put(name, Files.size(p));
      }
    }
    return listing;
  }
}
