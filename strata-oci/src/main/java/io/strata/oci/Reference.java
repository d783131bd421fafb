package io.strata.oci;

import io.strata.errdefs.InvalidArgumentException;

/**
 * An image reference {@code [domain/]path[:tag][@digest]}, after distribution/reference, or a
 * digest-only reference ({@code sha256:…}: domain, path and tag null). Absent parts are null.
 *
 * <p>{@link #parse} is the strict grammar without normalisation; {@link #parseNormalizedNamed}
 * is what the docker CLI does ({@code busybox} → {@code docker.io/library/busybox}). sha512
 * digests are accepted (OCI registers sha512; upstream's test binary lacks it).
 */
public record Reference(String domain, String path, String tag, Digest digest) {
  public static final String DEFAULT_DOMAIN = "docker.io";
  public static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  public static final String OFFICIAL_REPO_PREFIX = "library/";
  public static final String DEFAULT_TAG = "latest";

  public Reference {
    if (path == null) {
      if (domain != null || tag != null || digest == null) {
        throw new InvalidArgumentException("reference: a reference without a path must be a digest");
      }
    } else {
      ReferenceParser.checkParts(domain, path, tag);
    }
    if (digest != null) ReferenceParser.checkDigest(digest);
  }

  /** Strict grammar, no normalisation; {@code String()} round-trips the input. */
  public static Reference parse(String s) {
    return ReferenceParser.parse(s);
  }

  /** Docker CLI normalisation: default domain {@code docker.io}, {@code library/} for official images. */
  public static Reference parseNormalizedNamed(String s) {
    return ReferenceParser.parseNormalizedNamed(s);
  }

  /** {@link #parseNormalizedNamed}, then: tag and digest → keep the digest only; neither → tag {@code latest}. */
  public static Reference parseDockerRef(String s) {
    Reference r = parseNormalizedNamed(s);
    if (r.digest != null) return r.withoutTag();
    return r.tag == null ? r.withTag(DEFAULT_TAG) : r;
  }

  /** A 64-hex ID or a supported {@code alg:hex} becomes a digest-only reference, anything else a normalised name. */
  public static Reference parseAnyReference(String s) {
    return ReferenceParser.parseAnyReference(s);
  }

  /** A name only (no tag, no digest), split into domain and path without normalisation. */
  public static Reference withName(String name) {
    return ReferenceParser.withName(name);
  }

  /** A name that is already canonical ({@code docker.io/library/foo}, not {@code foo}). */
  public static Reference parseNamed(String s) {
    Reference r = parseNormalizedNamed(s);
    if (!r.toString().equals(s)) {
      throw new InvalidArgumentException("reference " + Values.quote(s) + ": repository name must be canonical");
    }
    return r;
  }

  /** False for a digest-only reference. */
  public boolean hasName() {
    return path != null;
  }

  /** domain/path, or path without a domain; null for a digest-only reference. */
  public String name() {
    if (path == null) return null;
    return domain == null ? path : domain + "/" + path;
  }

  /** The name as docker shows it: without {@code docker.io/}, and without {@code library/} for official images. */
  public String familiarName() {
    if (path == null) return null;
    if (!DEFAULT_DOMAIN.equals(domain)) return name();
    if (path.startsWith(OFFICIAL_REPO_PREFIX)) {
      String rest = path.substring(OFFICIAL_REPO_PREFIX.length());
      if (rest.indexOf('/') < 0) return rest;
    }
    return path;
  }

  /** How docker prints the reference: {@code busybox:latest}, {@code example.com/app@sha256:…}. */
  public String familiarString() {
    return path == null ? digest.toString() : suffixed(familiarName());
  }

  public Reference withTag(String tag) {
    return new Reference(domain, path, tag, digest);
  }

  public Reference withDigest(Digest digest) {
    return new Reference(domain, path, tag, digest);
  }

  public Reference withoutTag() {
    return new Reference(domain, path, null, digest);
  }

  /** The name alone, without tag and digest. */
  public Reference nameOnly() {
    return new Reference(domain, path, null, null);
  }

  @Override
  public String toString() {
    return path == null ? digest.toString() : suffixed(name());
  }

  private String suffixed(String name) {
    return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }
}
