package io.strata.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code strata build} was asked: the context directory, the Dockerfile (null:
 * {@code context/Dockerfile}), names to tag, {@code --build-arg}s, the {@code --target} stage
 * (null: the last), {@code --no-cache}, {@code --label}s for the final image, and the time
 * ({@code SOURCE_DATE_EPOCH}) that makes the image reproducible (null: now), and the
 * {@code --secret}s by id, for {@code RUN --mount=type=secret} (never part of a cache key or layer),
 * the RUN steps' {@code --network} (default: the default bridge) and whether {@code --allow network.host}
 * lets a step ask for the host's network itself.
 */
public record BuildRequest(Path context, Path dockerfile, List<String> tags, Map<String, String> buildArgs,
    String target, boolean noCache, Map<String, String> labels, Long sourceDateEpoch, Map<String, byte[]> secrets,
    String network, boolean allowHostNetwork) {

  /** A request with RUN steps on the default network, as {@code docker build} runs them. */
  public BuildRequest(Path context, Path dockerfile, List<String> tags, Map<String, String> buildArgs, String target,
      boolean noCache, Map<String, String> labels, Long sourceDateEpoch, Map<String, byte[]> secrets) {
    this(context, dockerfile, tags, buildArgs, target, noCache, labels, sourceDateEpoch, secrets, "default", false);
  }

  public BuildRequest {
    tags = List.copyOf(tags);
    buildArgs = Map.copyOf(buildArgs);
    labels = Map.copyOf(labels);
    secrets = Map.copyOf(secrets);
    network = network == null || network.isEmpty() ? "default" : network;
    if (!java.util.Set.of("default", "none", "host").contains(network)) {
      throw new io.strata.errdefs.InvalidArgumentException("invalid --network " + network + ": want default, none or host");
    }
  }

  Path dockerfilePath() {
    return dockerfile != null ? dockerfile : context.resolve("Dockerfile");
  }
}
