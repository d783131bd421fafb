package io.strata.registry.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@link FaultServerMain} as a child process of the test JVM: started, asked for its heap, SIGKILLed, stopped. */
final class FaultServerProcess implements AutoCloseable {
  final Process process;
  final int port;
  private final BufferedReader out;
  private final OutputStream in;
  private final Path log;

  private FaultServerProcess(Process process, int port, BufferedReader out, Path log) {
    this.process = process;
    this.port = port;
    this.out = out;
    this.in = process.getOutputStream();
    this.log = log;
  }

  /** Starts a server JVM with {@code -Xmx} {@code maxHeapMb} and {@code args} for FaultServerMain; stderr to {@code log}. */
  static FaultServerProcess start(int maxHeapMb, Path log, String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + maxHeapMb + "m", "-XX:+UseG1GC", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), FaultServerMain.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String line;
    try {
      line = first.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      line = null;
    }
    if (line == null || !line.startsWith("port ")) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IOException("the registry process did not start: " + line + "\n" + Files.readString(log));
    }
    return new FaultServerProcess(p, Integer.parseInt(line.substring(5).strip()), out, log);
  }

  /** The end of the server's stderr (its warnings, stack traces), for a failure's message. */
  String logTail() {
    String s = logText();
    return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
  }

  /** The server's whole stderr. */
  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code {usedAfterGc, peak, max}} in bytes. */
  long[] heap() throws IOException {
    in.write("heap\n".getBytes(StandardCharsets.UTF_8));
    in.flush();
    String line = out.readLine();
    if (line == null || !line.startsWith("heap ")) throw new IOException("no heap answer: " + line + "\n" + Files.readString(log));
    String[] f = line.split(" ");
    return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
  }

  /** SIGKILL: no shutdown hook, no graceful stop, nothing flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Linux
    if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the registry process survived SIGKILL");
  }

  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) return;
    try {
      in.close(); // end of input: it halts
    } catch (IOException ignored) {
      // gone already
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
