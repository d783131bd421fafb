package io.strata.runtime.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * What a start set up for the container's network: the namespace netavark configured ({@code netns};
 * null with {@code --network none}, which gets a fresh one with loopback only, and host), the hosts
 * lines for the container's own addresses and {@code --add-host}, and the nameservers for its
 * resolv.conf (aardvark's, {@code --dns}; empty: the host's, without loopback ones).
 */
public record NetworkSetup(Path netns, List<String> hostsLines, List<String> nameservers) {
  public static final NetworkSetup NONE = new NetworkSetup(null, List.of(), List.of());

  public NetworkSetup {
    hostsLines = List.copyOf(hostsLines);
    nameservers = List.copyOf(nameservers);
  }
}
