package io.strata.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.ByteBuffer;

/** Incremental digest computation; {@link #digest()} may be called once. */
public final class Digester {
  private final String algorithm;
  private final MessageDigest md;
  private long count;

  private Digester(String algorithm, String jcaName) {
    this.algorithm = algorithm;
    try {
      this.md = MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Digester sha256() {
    return new Digester(Digest.SHA256, "SHA-256");
  }

  public static Digester sha512() {
    return new Digester(Digest.SHA512, "SHA-512");
  }

  /** A digester for the algorithm of {@code d} (sha256 or sha512). */
  public static Digester forDigest(Digest d) {
    return switch (d.requireSupported().algorithm()) {
      case Digest.SHA512 -> sha512();
      default -> sha256();
    };
  }

  public Digester update(byte[] b) {
    return update(b, 0, b.length);
  }

  public Digester update(byte[] b, int off, int len) {
    md.update(b, off, len);
    count += len;
    return this;
  }

  public Digester update(ByteBuffer buf) {
    count += buf.remaining();
    md.update(buf);
    return this;
  }

  /** Bytes fed so far. */
  public long count() {
    return count;
  }

  public Digest digest() {
    return Digest.of(algorithm, md.digest());
  }
}
