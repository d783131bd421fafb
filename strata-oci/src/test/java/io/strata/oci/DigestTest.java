package io.strata.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.errdefs.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Digest grammar, including the hostile strings of SECURITY.md S27 (CVE-2024-3727). */
class DigestTest {
  private static final String HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @ParameterizedTest(name = "rejects {0}")
  @ValueSource(strings = {
      "sha256:../../../../tmp/x",
      "sha256:../../x",
      "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
      "SHA256:" + HEX,
      "sha256:" + HEX + "0",
      "sha256:e3b0c442",
      "sha512:" + HEX,
      "sha256:" + HEX + " ",
      "sha256:" + HEX + "\n",
      " sha256:" + HEX,
      "sha256:%2F" + HEX,
      "sha256%2F" + HEX,
      "sha256:" + HEX + "%2F",
      "sha256:",
      ":" + HEX,
      "sha256",
      "",
      "sha256+-x:" + HEX,
  })
  void rejectsMalformed(String s) {
    assertThrows(InvalidArgumentException.class, () -> Digest.parse(s));
  }

  @Test
  void unknownAlgorithmsParseButCannotAddressContent() {
    Digest md5 = Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e");
    assertFalse(md5.isSupported());
    assertThrows(InvalidArgumentException.class, md5::requireSupported);
    assertThrows(InvalidArgumentException.class, () -> Digest.parseSupported("md5:d41d8cd98f00b204e9800998ecf8427e"));
    assertThrows(InvalidArgumentException.class, () -> Digester.forDigest(md5));
  }

  @Test
  void acceptsCanonicalSha256AndSha512() {
    Digest d = Digest.parseSupported("sha256:" + HEX);
    assertEquals(Digest.sha256(new byte[0]), d);
    assertEquals("e3b0c4429 8fc".replace(" ", ""), d.shortHex());
    Digest d512 = Digester.sha512().update(new byte[0]).digest();
    assertEquals(d512, Digest.parseSupported(d512.toString()));
    assertTrue(d512.isSupported());
  }

  @Test
  void jsonFormIsTheString() {
    Digest d = Digest.sha256(new byte[0]);
    assertEquals("\"sha256:" + HEX + "\"", new String(Json.write(d)));
    assertEquals(d, Json.read(("\"sha256:" + HEX + "\"").getBytes(), Digest.class, "digest"));
    assertThrows(InvalidArgumentException.class,
        () -> Json.read("\"sha256:../../x\"".getBytes(), Digest.class, "digest"));
  }
}
