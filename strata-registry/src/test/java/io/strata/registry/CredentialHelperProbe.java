package io.strata.registry;

import io.strata.errdefs.StrataException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Run in a child JVM by {@link CredentialStoreTest} with a PATH that holds fake
 * {@code docker-credential-*} helpers (a JVM cannot change its own PATH, which ProcessBuilder uses to
 * find them). Arguments: the config file, then operations {@code get HOST}, {@code store HOST USER
 * SECRET|- TOKEN|-}, {@code erase HOST}; prints one line per operation.
 */
public final class CredentialHelperProbe {
  private CredentialHelperProbe() {}

  public static void main(String[] args) {
    CredentialStore store = new CredentialStore(Path.of(args[0]));
    for (int i = 1; i < args.length; ) {
      String op = args[i++];
      String host = args[i++];
      try {
        switch (op) {
          case "get" -> {
            Optional<Credentials> c = store.get(host);
            System.out.println("get " + host + " -> " + c.map(x -> x.username() + "|" + x.secret() + "|" + x.identityToken()).orElse("empty"));
          }
          case "store" -> {
            String user = args[i++];
            String secret = args[i++];
            String token = args[i++];
            store.store(host, new Credentials(user, secret.equals("-") ? null : secret, token.equals("-") ? null : token));
            System.out.println("store " + host + " -> ok");
          }
          case "erase" -> System.out.println("erase " + host + " -> " + store.erase(host));
          default -> throw new IllegalArgumentException(op);
        }
      } catch (StrataException e) {
        System.out.println(op + " " + host + " -> error " + e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (RuntimeException e) {
        System.out.println(op + " " + host + " -> crash " + e);
      }
    }
  }
}
