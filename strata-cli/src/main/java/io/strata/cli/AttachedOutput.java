package io.strata.cli;

import io.strata.runtime.Containers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A running container's output as it comes, to ours ({@code start -a}, {@code attach}): its log
 * from {@code from} on, followed until the container stops, stderr to stderr; signals go to the
 * container meanwhile when {@code proxySignals}. Returns the container's exit status.
 */
final class AttachedOutput {
  private AttachedOutput() {}

  static int follow(Session session, String id, Instant from, boolean proxySignals) {
    Containers containers = session.containers();
    Streams s = session.streams();
    try (SignalProxy proxy = proxySignals ? new SignalProxy(containers, id) : null) {
      containers.logs(id, new Containers.LogOptions(true, -1, from, null), (stream, text, time) -> {
        try {
          var target = stream.equals("stderr") ? s.err() : s.out();
          target.write(text.getBytes(StandardCharsets.UTF_8));
          target.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return containers.await(id);
  }
}
