package io.strata.cli.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI against a dockerd: the one in DOCKER_HOST when set (.ci/run starts one), else one
 * this class starts on a private socket and data root, with no network set-up, and stops.
 */
final class Dockerd implements AutoCloseable {
  private static final String SOCKET = "unix:///run/strata-it-docker.sock";
  private final String host;
  private final Process process;

  private Dockerd(String host, Process process) {
    this.host = host;
    this.process = process;
  }

  static Dockerd start(Path logDir) throws IOException, InterruptedException {
    String env = System.getenv("DOCKER_HOST");
    if (env != null && !env.isBlank()) return new Dockerd(env, null);
    Process p = new ProcessBuilder("dockerd", "--iptables=false", "--bridge=none", "--host", SOCKET,
        "--data-root", "/var/lib/strata-it-docker", "--exec-root", "/run/strata-it-docker",
        "--pidfile", "/run/strata-it-docker.pid")
        .redirectErrorStream(true).redirectOutput(logDir.resolve("dockerd.log").toFile()).start();
    Dockerd d = new Dockerd(SOCKET, p);
    for (int i = 0; i < 120; i++) {
      if (ExternalTools.exec(d.cmd("info")).code() == 0) return d;
      if (!p.isAlive()) break;
      Thread.sleep(250);
    }
    d.close();
    throw new IllegalStateException("dockerd did not start; see " + logDir.resolve("dockerd.log"));
  }

  List<String> cmd(String... args) {
    List<String> c = new ArrayList<>(List.of("docker", "-H", host));
    c.addAll(List.of(args));
    return c;
  }

  String run(String... args) {
    return ExternalTools.run(cmd(args));
  }

  @Override
  public void close() throws InterruptedException {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
