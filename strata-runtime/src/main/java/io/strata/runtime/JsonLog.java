package io.strata.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.oci.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Docker's json-file log driver: one JSON object per line, {@code {"log":"text\n","stream":
 * "stdout","time":"..."}}, a line per output line (a partial line is flushed when the stream ends).
 */
final class JsonLog implements AutoCloseable {
  private final OutputStream out;

  JsonLog(Path file) {
    try {
      this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("open log " + file, e);
    }
  }

  static Path file(Path containerDir, String id) {
    return containerDir.resolve(id + "-json.log");
  }

  synchronized void write(String stream, String line) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("log", line);
    n.put("stream", stream);
    n.put("time", Instant.now().toString());
    try {
      out.write(Json.write(n));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("write container log", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      // nothing left to lose
    }
  }

  /** A log reader's target: the container's stdout and stderr, each line with its time. */
  interface Sink {
    void accept(String stream, String text, Instant time);
  }

  /**
   * Replays {@code file} into {@code sink}, calls {@code caughtUp} once the lines written so far are
   * read, and with {@code follow} keeps reading new lines until {@code done} says the container has
   * stopped and the file is drained.
   */
  static void read(Path file, Sink sink, boolean follow, BooleanSupplier done, Runnable caughtUp) {
    boolean[] reported = {false};
    try {
      if (!Files.exists(file)) {
        caughtUp.run();
        return;
      }
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        StringBuilder partial = new StringBuilder();
        while (true) {
          int c = r.read();
          if (c < 0) {
            if (!reported[0]) {
              reported[0] = true;
              caughtUp.run();
            }
            if (!follow) return;
            boolean stopped = done.getAsBoolean();
            if (stopped && !r.ready()) return;
            if (!stopped) Thread.sleep(50);
            continue;
          }
          if (c != '\n') {
            partial.append((char) c);
            continue;
          }
          JsonNode n = Json.mapper().readTree(partial.toString());
          partial.setLength(0);
          String time = n.path("time").asText("");
          sink.accept(n.path("stream").asText("stdout"), n.path("log").asText(), time.isEmpty() ? Instant.EPOCH : Instant.parse(time));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("read log " + file, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
