package io.strata.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of {@code testdata/reference/cases.tsv} (distribution/reference's test tables).
 * The one row expecting {@code validname@sha512:…} to fail is implementation-specific: upstream's
 * test binary has no sha512; strata accepts sha512 (OCI registers it), so that row asserts success.
 */
class ReferenceCasesTest {
  private static final String SHA512_ROW = "validname@sha512:";

  static Stream<Arguments> cases() {
    var rows = SharedTestData.tsv(SharedTestData.dir("reference").resolve("cases.tsv"));
    assertEquals(188, rows.size(), "cases.tsv row count");
    return rows.stream().map(r -> Arguments.of(r[0] + " " + display(r[1]), r));
  }

  private static String display(String input) {
    if (input.isEmpty()) return "(empty)";
    return input.length() > 80 ? input.substring(0, 60) + "…(" + input.length() + " chars)" : input;
  }

  private static Function<String, Reference> api(String name) {
    return switch (name) {
      case "Parse" -> Reference::parse;
      case "ParseNormalizedNamed" -> Reference::parseNormalizedNamed;
      case "ParseAnyReference" -> Reference::parseAnyReference;
      case "ParseDockerRef" -> Reference::parseDockerRef;
      case "WithName" -> Reference::withName;
      case "ParseNamed" -> Reference::parseNamed;
      default -> throw new AssertionError("unknown api " + name);
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void behavesLikeDistributionReference(String display, String[] row) {
    String apiName = row[0];
    String input = row[1];
    boolean valid = row[2].equals("yes");
    if (apiName.equals("Parse") && input.startsWith(SHA512_ROW)) {
      Reference r = Reference.parse(input);
      assertEquals(Digest.SHA512, r.digest().algorithm());
      assertEquals(input, r.toString());
      return;
    }
    Function<String, Reference> parser = api(apiName);
    if (!valid) {
      var e = assertThrows(InvalidArgumentException.class, () -> parser.apply(input));
      if (!row[3].isEmpty()) {
        assertTrue(e.getMessage().contains(row[3]), () -> "want \"" + row[3] + "\", got \"" + e.getMessage() + "\"");
      }
      return;
    }
    Reference r = parser.apply(input);
    String name = row[4], domain = row[5], path = row[6], tag = row[7], digest = row[8];
    // an empty cell is "not checked" unless the row fixes the neighbouring columns
    if (!name.isEmpty()) {
      assertEquals(name, r.name(), "name");
      assertEquals(tag, orEmpty(r.tag()), "tag");
      assertEquals(digest, r.digest() == null ? "" : r.digest().toString(), "digest");
    }
    if (!path.isEmpty()) {
      assertEquals(path, r.path(), "path");
      assertEquals(domain, orEmpty(r.domain()), "domain");
    }
    if (!row[9].isEmpty()) assertEquals(row[9], r.toString(), "string");
    if (!row[10].isEmpty()) {
      // the column holds FamiliarString when the case has a tag or digest, else FamiliarName
      String familiar = r.tag() != null || r.digest() != null ? r.familiarString() : r.familiarName();
      assertEquals(row[10], familiar, "familiar");
    }
    if (apiName.equals("Parse")) assertEquals(input, r.toString(), "Parse round-trips its input");
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  @Test
  void familiarFormsAndWithers() {
    Reference r = Reference.parseDockerRef("busybox");
    assertEquals("docker.io/library/busybox:latest", r.toString());
    assertEquals("busybox:latest", r.familiarString());
    assertEquals("busybox", r.familiarName());
    Digest d = Digest.sha256(new byte[0]);
    assertEquals("docker.io/library/busybox:latest@" + d, r.withDigest(d).toString());
    assertEquals("docker.io/library/busybox@" + d, r.withDigest(d).withoutTag().toString());
    assertEquals("busybox:1.36", r.withTag("1.36").familiarString());
    assertThrows(InvalidArgumentException.class, () -> r.withTag("bad tag"));
    assertThrows(InvalidArgumentException.class, () -> r.withTag(".dot"));
  }

  @Test
  void digestOnlyReference() {
    Reference r = Reference.parseAnyReference("sha256:" + "a".repeat(64));
    assertEquals(null, r.name());
    assertEquals("sha256:" + "a".repeat(64), r.familiarString());
    // unsupported algorithms are names, not digests
    assertEquals("docker.io/library/foo:bar", Reference.parseAnyReference("foo:bar").toString());
  }

  @Test
  void uppercaseHexDigestIsRejected() {
    var e = assertThrows(InvalidArgumentException.class, () -> Reference.parse("repo@sha256:" + "A".repeat(64)));
    assertTrue(e.getMessage().contains("invalid checksum digest format"), e.getMessage());
  }

  @Test
  void overlongInputIsRejectedWithoutRegexWork() {
    assertThrows(InvalidArgumentException.class, () -> Reference.parse("a".repeat(100_000)));
  }
}
