package io.strata.oci;

import static io.strata.oci.ReferenceGrammar.ANCHORED_NAME;
import static io.strata.oci.ReferenceGrammar.NAME_MAX;

import io.strata.errdefs.InvalidArgumentException;
import java.util.Locale;
import java.util.regex.Matcher;

/** The parsing entry points of {@link Reference}, with distribution/reference's error messages. */
final class ReferenceParser {
  static final String INVALID_FORMAT = "invalid reference format";
  static final String NAME_EMPTY = "repository name must have at least one component";
  static final String NAME_UPPERCASE = "repository name must be lowercase";
  static final String NAME_TOO_LONG = "repository name must not be more than " + NAME_MAX + " characters";
  static final String DIGEST_UNSUPPORTED = "unsupported digest algorithm";
  static final String DIGEST_LENGTH = "invalid checksum digest length";
  static final String DIGEST_FORMAT = "invalid checksum digest format";

  private ReferenceParser() {}

  static Reference parse(String s) {
    if (s == null || s.isEmpty()) throw error(s, NAME_EMPTY);
    if (s.length() > ReferenceGrammar.INPUT_MAX) throw error(s, INVALID_FORMAT);
    Matcher m = ReferenceGrammar.REFERENCE.matcher(s);
    if (!m.matches()) {
      boolean lowerMatches = ReferenceGrammar.REFERENCE.matcher(s.toLowerCase(Locale.ROOT)).matches();
      throw error(s, lowerMatches ? NAME_UPPERCASE : INVALID_FORMAT);
    }
    Matcher name = ANCHORED_NAME.matcher(m.group(1));
    if (!name.matches()) throw error(s, INVALID_FORMAT);
    if (name.group(2).length() > NAME_MAX) throw error(s, NAME_TOO_LONG);
    Digest digest = m.group(3) == null ? null : digest(s, m.group(3));
    return new Reference(name.group(1), name.group(2), m.group(2), digest);
  }

  static Reference withName(String s) {
    if (s == null || s.length() > ReferenceGrammar.INPUT_MAX) throw error(s, INVALID_FORMAT);
    Matcher name = ANCHORED_NAME.matcher(s);
    if (!name.matches()) throw error(s, INVALID_FORMAT);
    if (name.group(2).length() > NAME_MAX) throw error(s, NAME_TOO_LONG);
    return new Reference(name.group(1), name.group(2), null, null);
  }

  static Reference parseNormalizedNamed(String s) {
    if (s != null && ReferenceGrammar.IDENTIFIER.matcher(s).matches()) {
      throw new InvalidArgumentException("invalid repository name " + Values.quote(s)
          + ", cannot specify 64-byte hexadecimal strings");
    }
    if (s == null || s.isEmpty()) throw error(s, NAME_EMPTY);
    String[] split = splitDockerDomain(s);
    String remainder = split[1];
    int colon = remainder.indexOf(':');
    String remote = colon < 0 ? remainder : remainder.substring(0, colon);
    if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
      throw error(s, NAME_UPPERCASE);
    }
    return parse(split[0] + "/" + remainder);
  }

  static Reference parseAnyReference(String s) {
    if (s != null && ReferenceGrammar.IDENTIFIER.matcher(s).matches()) {
      return new Reference(null, null, null, new Digest(Digest.SHA256, s));
    }
    try {
      Digest d = Digest.parse(s);
      if (d.isSupported()) return new Reference(null, null, null, d);
    } catch (InvalidArgumentException notADigest) {
      // a name, then
    }
    return parseNormalizedNamed(s);
  }

  /** Docker's rule: the first component is a registry only if it looks like a host. */
  private static String[] splitDockerDomain(String name) {
    int slash = name.indexOf('/');
    String domain;
    String remainder;
    if (slash < 0 || !looksLikeHost(name.substring(0, slash))) {
      domain = Reference.DEFAULT_DOMAIN;
      remainder = name;
    } else {
      domain = name.substring(0, slash);
      remainder = name.substring(slash + 1);
    }
    if (domain.equals(Reference.LEGACY_DEFAULT_DOMAIN)) domain = Reference.DEFAULT_DOMAIN;
    if (domain.equals(Reference.DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
      remainder = Reference.OFFICIAL_REPO_PREFIX + remainder;
    }
    return new String[] {domain, remainder};
  }

  private static boolean looksLikeHost(String first) {
    return first.contains(".") || first.contains(":") || first.equals("localhost")
        || !first.toLowerCase(Locale.ROOT).equals(first);
  }

  private static Digest digest(String ref, String text) {
    int colon = text.indexOf(':');
    String algorithm = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    int want = switch (algorithm) {
      case Digest.SHA256 -> 64;
      case Digest.SHA512 -> 128;
      default -> throw error(ref, DIGEST_UNSUPPORTED);
    };
    if (hex.length() != want) throw error(ref, DIGEST_LENGTH);
    if (!hex.equals(hex.toLowerCase(Locale.ROOT))) throw error(ref, DIGEST_FORMAT);
    return new Digest(algorithm, hex);
  }

  /** Validates the parts of a named reference (used by the record's constructor). */
  static void checkParts(String domain, String path, String tag) {
    if (domain != null && !ReferenceGrammar.DOMAIN_PATTERN.matcher(domain).matches()) {
      throw new InvalidArgumentException("reference: invalid domain " + Values.quote(domain));
    }
    if (!ReferenceGrammar.PATH_PATTERN.matcher(path).matches()) {
      boolean lower = ReferenceGrammar.PATH_PATTERN.matcher(path.toLowerCase(Locale.ROOT)).matches();
      throw new InvalidArgumentException("reference: invalid repository path " + Values.quote(path)
          + (lower ? ": " + NAME_UPPERCASE : ""));
    }
    if (path.length() > NAME_MAX) throw new InvalidArgumentException("reference: " + NAME_TOO_LONG);
    if (tag != null && !ReferenceGrammar.TAG_PATTERN.matcher(tag).matches()) {
      throw new InvalidArgumentException("reference: invalid tag " + Values.quote(tag));
    }
  }

  static void checkDigest(Digest digest) {
    if (!digest.isSupported()) {
      throw new InvalidArgumentException("reference: " + DIGEST_UNSUPPORTED + " " + Values.quote(digest.toString()));
    }
  }

  private static InvalidArgumentException error(String ref, String problem) {
    return new InvalidArgumentException("reference " + Values.quote(ref) + ": " + problem);
  }
}
