package io.strata.build;

/**
 * Where a build gets a {@code FROM} or {@code COPY --from} image the store lacks (or, with
 * {@code --pull}, the registry's current one): the CLI pulls it. The builder knows no registry.
 */
@FunctionalInterface
public interface BaseImages {
  /** Brings {@code ref} into the store, or fails saying why. */
  void pull(String ref);

  /** A builder without a registry: missing images are an error. */
  BaseImages NONE = ref -> {
    throw new io.strata.errdefs.NotFoundException("failed to resolve source image " + ref + ": not found in the local store");
  };
}
