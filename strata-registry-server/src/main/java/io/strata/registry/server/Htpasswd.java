package io.strata.registry.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.mindrot.jbcrypt.BCrypt;

/**
 * An htpasswd file of bcrypt entries ({@code user:$2y$...}, as {@code htpasswd -B} writes), the only
 * kind distribution accepts too. Other hash kinds are refused when the file is read.
 */
final class Htpasswd {
  private final Map<String, String> hashes;
  /**
   * What an unknown user's password is checked against, so that it costs what a known user's does
   * and response times tell no names: a hash of the file's highest cost ({@code htpasswd -B} writes
   * cost 5, a fixed cost 10 would make unknown names 32 times slower).
   */
  private final String dummy;

  private Htpasswd(Map<String, String> hashes, int cost) {
    this.hashes = hashes;
    this.dummy = BCrypt.hashpw("strata", BCrypt.gensalt(Math.clamp(cost, 4, 30)));
  }

  static Htpasswd read(Path file) throws IOException {
    Map<String, String> out = new HashMap<>();
    int cost = 0;
    int line = 0;
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      line++;
      if (l.isBlank() || l.startsWith("#")) continue;
      int colon = l.indexOf(':');
      String hash = colon < 0 ? "" : l.substring(colon + 1).strip();
      if (colon <= 0 || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
        throw new IllegalArgumentException(file + ":" + line + ": not a bcrypt entry (make it with htpasswd -B)");
      }
      out.put(l.substring(0, colon), "$2a$" + hash.substring(4)); // jBCrypt reads $2a$; $2y$ and $2b$ hash the same
      cost = Math.max(cost, Integer.parseInt(hash.substring(4, 6)));
    }
    return new Htpasswd(out, cost == 0 ? 10 : cost);
  }

  boolean check(String user, String password) {
    String hash = hashes.get(user);
    if (hash == null) {
      BCrypt.checkpw(password, dummy); // the same work for unknown users: no timing oracle for names
      return false;
    }
    try {
      return BCrypt.checkpw(password, hash);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
