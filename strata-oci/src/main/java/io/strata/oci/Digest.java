package io.strata.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.strata.errdefs.InvalidArgumentException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest {@code algorithm:encoded}, validated on construction.
 *
 * <p>The grammar is the OCI image-spec's (descriptor.md#digests): any algorithm matching
 * {@code [a-z0-9]+([+._-][a-z0-9]+)*} is well formed, so documents naming unknown algorithms
 * still parse. For the registered algorithms the encoded part is checked strictly: lowercase
 * hex of exactly 64 (sha256) or 128 (sha512) characters. Only those two can address content:
 * call {@link #requireSupported()} before a digest is used in a path, URL or lookup key
 * (CVE-2024-3727).
 */
public record Digest(String algorithm, String encoded) implements Comparable<Digest> {
  private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
  private static final Pattern ENCODED = Pattern.compile("[a-zA-Z0-9=_-]+");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");

  public static final String SHA256 = "sha256";
  public static final String SHA512 = "sha512";

  public Digest {
    if (algorithm == null || !ALGORITHM.matcher(algorithm).matches()) {
      throw new InvalidArgumentException("invalid digest algorithm: " + quote(algorithm));
    }
    if (encoded == null || !ENCODED.matcher(encoded).matches()) {
      throw new InvalidArgumentException("invalid digest: " + quote(algorithm + ":" + encoded));
    }
    int want = expectedLength(algorithm);
    if (want > 0 && (encoded.length() != want || !HEX.matcher(encoded).matches())) {
      throw new InvalidArgumentException(
          "invalid digest: " + quote(algorithm + ":" + encoded) + ": want " + want + " lowercase hex characters");
    }
  }

  /** Parses {@code alg:encoded}; throws {@link InvalidArgumentException} on anything else. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Digest parse(String s) {
    if (s == null) throw new InvalidArgumentException("invalid digest: null");
    int colon = s.indexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new InvalidArgumentException("invalid digest: " + quote(s));
    }
    return new Digest(s.substring(0, colon), s.substring(colon + 1));
  }

  /** Parses a digest and requires an algorithm strata can compute. */
  public static Digest parseSupported(String s) {
    return parse(s).requireSupported();
  }

  public static Digest sha256(byte[] data) {
    return Digester.sha256().update(data).digest();
  }

  static Digest of(String algorithm, byte[] hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash));
  }

  /** True for sha256 and sha512, the algorithms strata stores and verifies. */
  public boolean isSupported() {
    return expectedLength(algorithm) > 0;
  }

  public Digest requireSupported() {
    if (!isSupported()) {
      throw new InvalidArgumentException("unsupported digest algorithm: " + quote(toString()));
    }
    return this;
  }

  /** The encoded part, named as most callers think of it. */
  public String hex() {
    return encoded;
  }

  /** The first 12 characters of the encoded part, as {@code docker images} shows IDs. */
  public String shortHex() {
    return encoded.substring(0, Math.min(12, encoded.length()));
  }

  @JsonValue
  @Override
  public String toString() {
    return algorithm + ":" + encoded;
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  private static int expectedLength(String algorithm) {
    return switch (algorithm) {
      case SHA256 -> 64;
      case SHA512 -> 128;
      default -> -1;
    };
  }

  private static String quote(String s) {
    if (s == null) return "null";
    String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "\"" + shown.replace("\n", "\\n") + "\"";
  }
}
