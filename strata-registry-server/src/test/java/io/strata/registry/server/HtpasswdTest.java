package io.strata.registry.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The htpasswd file: bcrypt only, and no timing difference between known and unknown user names. */
class HtpasswdTest {
  @TempDir Path tmp;

  @Test
  void acceptsHtpasswdBcryptAndRefusesOtherHashes() throws Exception {
    Path f = tmp.resolve("htpasswd");
    Files.writeString(f, RegistryAuthTest.htpasswdLine("alice", "pw"));
    Htpasswd h = Htpasswd.read(f);
    assertTrue(h.check("alice", "pw"));
    assertFalse(h.check("alice", "PW"));
    assertFalse(h.check("bob", "pw"));
    for (String bad : new String[] {"alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "alice:$apr1$x$y", "alice:plain", ":$2y$05$"}) {
      Files.writeString(f, bad + "\n");
      assertThrows(IllegalArgumentException.class, () -> Htpasswd.read(f), bad);
    }
  }

  /**
   * An unknown user costs what a known one does, so response times do not tell which names exist.
   * {@code htpasswd -B} hashes with cost 5 by default; the check of an unknown name must not be ~32x slower.
   */
  @Test
  void unknownUserCostsAboutWhatAKnownUserCosts() throws Exception {
    Path f = tmp.resolve("htpasswd");
    Files.writeString(f, RegistryAuthTest.htpasswdLine("alice", "pw"));
    Htpasswd h = Htpasswd.read(f);
    for (int i = 0; i < 3; i++) {
      h.check("alice", "wrong");
      h.check("nobody", "wrong");
    }
    long known = median(() -> h.check("alice", "wrong"));
    long unknown = median(() -> h.check("nobody", "wrong"));
    double ratio = (double) Math.max(known, unknown) / Math.max(1, Math.min(known, unknown));
    assertTrue(ratio < 4, "known user " + known / 1000 + " us, unknown user " + unknown / 1000 + " us: a name oracle");
  }

  private static long median(Runnable r) {
    long[] t = new long[7];
    for (int i = 0; i < t.length; i++) {
      long s = System.nanoTime();
      r.run();
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }
}
