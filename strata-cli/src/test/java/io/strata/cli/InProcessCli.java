package io.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** strata's CLI run in this JVM against one store, capturing what it prints. */
final class InProcessCli {
  record Result(int code, String out, String err) {}

  private final Path store;
  private final Map<String, String> env = new HashMap<>();

  InProcessCli(Path store) {
    this.store = store;
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Streams streams = new Streams(new ByteArrayInputStream(new byte[0]), out,
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false, env);
    String[] argv = Stream.concat(Stream.of("--root", store.toString()), Arrays.stream(args)).toArray(String[]::new);
    int code = Cli.run(streams, argv);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs and expects success; returns standard output. */
  String ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + " failed: " + r.err());
    return r.out();
  }
}
