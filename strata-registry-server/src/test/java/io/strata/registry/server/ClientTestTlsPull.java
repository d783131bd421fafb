package io.strata.registry.server;

import io.strata.registry.Puller;
import io.strata.registry.RegistryOptions;
import java.nio.file.Path;

/**
 * {@code strata pull} in a JVM of its own, for {@link TlsClientTest}: started with
 * {@code -Djdk.net.hosts.file} so a name that is not loopback's (strata speaks unverified TLS to
 * loopback addresses, as Docker does) resolves to 127.0.0.1, and with {@code $STRATA_CERTS_D} read as
 * {@code strata} reads it. Prints {@code DIGEST IMAGE-ID}, or {@code error: MESSAGE} and exits 2.
 */
public final class ClientTestTlsPull {
  private ClientTestTlsPull() {}

  public static void main(String[] args) {
    String certs = System.getenv("STRATA_CERTS_D");
    RegistryOptions options = RegistryOptions.defaults();
    if (certs != null && !certs.isEmpty()) options = options.withCertsDir(Path.of(certs));
    try (ClientTestTools.Strata strata = new ClientTestTools.Strata(Path.of(args[0]), options, null)) {
      Puller.Result r = strata.pull(args[1]);
      System.out.println(r.digest() + " " + r.imageId());
    } catch (RuntimeException e) {
      System.out.println("error: " + e.getMessage());
      System.exit(2);
    }
  }
}
