package io.strata.cli;

import io.strata.runtime.Containers;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Docker's {@code --sig-proxy}: while a container runs in the foreground, the signals strata gets
 * (SIGINT from Ctrl-C, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) go to the container's process
 * instead of ending strata; what the container does with them decides whether it ends. Signals the
 * JVM keeps for itself are left to it.
 */
final class SignalProxy implements AutoCloseable {
  private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "QUIT", "USR1", "USR2");

  private record Installed(Signal signal, SignalHandler previous) {}

  private final List<Installed> installed = new ArrayList<>();

  SignalProxy(Containers containers, String containerId) {
    for (String name : FORWARDED) {
      try {
        Signal s = new Signal(name);
        SignalHandler previous = Signal.handle(s, sig -> Thread.ofVirtual().start(() -> {
          try {
            containers.kill(containerId, "SIG" + name);
          } catch (RuntimeException notRunning) {
            // it ended meanwhile
          }
        }));
        installed.add(new Installed(s, previous));
      } catch (IllegalArgumentException usedByTheJvm) {
        // SIGQUIT or SIGUSR2 in some JVM configurations: the JVM's
      }
    }
  }

  @Override
  public void close() {
    for (Installed i : installed) Signal.handle(i.signal(), i.previous());
  }
}
