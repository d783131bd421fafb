package io.strata.cli;

import io.strata.errdefs.NotFoundException;
import io.strata.errdefs.UnavailableException;
import io.strata.oci.Platform;
import io.strata.oci.Reference;
import io.strata.registry.CredentialStore;
import io.strata.registry.LayerUnpacker;
import io.strata.registry.Puller;
import io.strata.registry.RegistryClient;
import io.strata.registry.RegistryOptions;
import io.strata.registry.TransferProgress;
import io.strata.snapshot.Unpacker;
import io.strata.store.LayerRecord;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry client wired to this invocation: options from {@code $STRATA_CONFIG} (default
 * {@code /etc/strata/daemon.json}, Docker's {@code daemon.json} keys) plus {@code --insecure-registry},
 * Docker's credentials file, and the store's snapshots as the unpacker of pulls.
 */
final class Registries {
  static final Path DEFAULT_CONFIG = Path.of("/etc/strata/daemon.json");

  private Registries() {}

  static RegistryOptions options(Session session) {
    Map<String, String> env = session.streams().env();
    String file = env.get("STRATA_CONFIG");
    RegistryOptions options = RegistryOptions.load(file == null || file.isEmpty() ? DEFAULT_CONFIG : Path.of(file));
    options = options.withInsecure(session.insecureRegistries());
    String certs = env.get("STRATA_CERTS_D");
    return certs == null || certs.isEmpty() ? options : options.withCertsDir(Path.of(certs));
  }

  static CredentialStore credentials(Session session) {
    return CredentialStore.forEnvironment(session.streams().env());
  }

  static RegistryClient client(Session session, String host) {
    return new RegistryClient(host, options(session), credentials(session));
  }

  /** Unpacks into the snapshots containers use, so that a pulled image runs without another unpack. */
  static LayerUnpacker unpacker(Session session) {
    Unpacker unpacker = session.containers().unpacker();
    return new LayerUnpacker() {
      @Override
      public boolean unpacked(List<LayerRecord> layers, int index) {
        return unpacker.isUnpacked(layers, index);
      }

      @Override
      public long unpack(List<LayerRecord> layers, int index, InputStream blob) {
        return unpacker.unpackLayer(layers, index, blob);
      }
    };
  }

  /**
   * Pulls {@code ref}: for Docker Hub through the configured mirrors first, each tried in turn,
   * then Docker Hub itself (Docker's {@code registry-mirrors}).
   */
  static Puller.Result pull(Session session, Reference ref, Platform platform, TransferProgress progress) {
    return pull(session, ref, platform, progress, true);
  }

  /** {@code unpack} false: blobs only ({@code pull --no-unpack}). */
  static Puller.Result pull(Session session, Reference ref, Platform platform, TransferProgress progress, boolean unpack) {
    RegistryOptions options = options(session);
    CredentialStore credentials = credentials(session);
    LayerUnpacker unpacker = unpack ? unpacker(session) : LayerUnpacker.NONE;
    List<URI> endpoints = new ArrayList<>();
    if (ref.domain().equals(Reference.DEFAULT_DOMAIN)) endpoints.addAll(options.mirrors());
    endpoints.add(null); // the registry itself
    RuntimeException last = null;
    for (URI endpoint : endpoints) {
      try (RegistryClient client = new RegistryClient(ref.domain(), endpoint, options, credentials)) {
        return new Puller(session.images().store(), client, options, unpacker, progress).pull(ref, platform);
      } catch (UnavailableException | NotFoundException e) {
        if (endpoint == null) throw e;
        last = e; // a mirror that fails or lacks the image: the next endpoint
      }
    }
    throw last;
  }
}
