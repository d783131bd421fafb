package io.strata.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code strata build} was asked: the context directory, the Dockerfile (null:
 * {@code context/Dockerfile}), names to tag, {@code --build-arg}s, the {@code --target} stage
 * (null: the last), {@code --no-cache}, {@code --label}s for the final image, and the time
 * ({@code SOURCE_DATE_EPOCH}) that makes the image reproducible (null: now), and the
 * {@code --secret}s by id, for {@code RUN --mount=type=secret} (never part of a cache key or layer).
 */
public record BuildRequest(Path context, Path dockerfile, List<String> tags, Map<String, String> buildArgs,
    String target, boolean noCache, Map<String, String> labels, Long sourceDateEpoch, Map<String, byte[]> secrets) {
  public BuildRequest {
    tags = List.copyOf(tags);
    buildArgs = Map.copyOf(buildArgs);
    labels = Map.copyOf(labels);
    secrets = Map.copyOf(secrets);
  }

  Path dockerfilePath() {
    return dockerfile != null ? dockerfile : context.resolve("Dockerfile");
  }
}
