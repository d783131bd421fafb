package io.strata.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strata.testkit.TreeSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The host side of a breakout test: a base directory holding the layer root {@code dest} and, next
 * to it, a victim directory and a {@code dest-evil} sibling (S4) with files of known content and
 * mode. {@link #assertUntouched()} checks that nothing outside {@code dest} changed: the listing,
 * content, modes and link counts of the victims, and a few paths of the real {@code /etc}.
 */
record HostSentinels(Path base, Path root, Path victim, TreeSnapshot before, Map<String, Object> linkCounts,
    List<String> etcListing, Map<String, Object> etcShadow) {

  static HostSentinels create(Path base) throws IOException {
    Path root = Files.createDirectory(base.resolve("dest"));
    Path victim = Files.createDirectory(base.resolve("victim"));
    Files.writeString(victim.resolve("secret"), "secret\n");
    Files.setAttribute(victim.resolve("secret"), "unix:mode", 0400);
    Files.writeString(victim.resolve("perm400"), "do not chmod\n");
    Files.setAttribute(victim.resolve("perm400"), "unix:mode", 0400);
    Files.createDirectory(victim.resolve("sub"));
    Files.writeString(victim.resolve("sub/keep"), "keep\n");
    Path evil = Files.createDirectory(base.resolve("dest-evil"));
    Files.writeString(evil.resolve("secret"), "sibling secret\n");
    return new HostSentinels(base, root, victim, hostSnapshot(base), linkCounts(base), currentEtcListing(), currentEtcShadow());
  }

  void assertUntouched() throws IOException {
    assertEquals(List.of(), before.diff(hostSnapshot(base)), "host files next to the root changed");
    assertEquals(linkCounts, linkCounts(base), "host link counts changed");
    assertEquals(etcListing, currentEtcListing(), "host /etc listing changed");
    assertEquals(etcShadow, currentEtcShadow(), "host /etc/shadow changed");
  }

  /** Everything under base except the layer root. */
  private static TreeSnapshot hostSnapshot(Path base) {
    TreeSnapshot all = TreeSnapshot.of(base);
    var entries = new TreeMap<>(all.entries());
    entries.keySet().removeIf(k -> k.equals("dest") || k.startsWith("dest/"));
    return new TreeSnapshot(entries, new TreeMap<>());
  }

  private static Map<String, Object> linkCounts(Path base) throws IOException {
    Map<String, Object> out = new TreeMap<>();
    for (Path p : List.of(base.resolve("victim/secret"), base.resolve("victim/perm400"), base.resolve("dest-evil/secret"))) {
      out.put(p.toString(), Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
    }
    return out;
  }

  private static List<String> currentEtcListing() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/etc"))) {
      return s.map(Path::toString).sorted().toList();
    }
  }

  private static Map<String, Object> currentEtcShadow() throws IOException {
    Path shadow = Path.of("/etc/shadow");
    if (!Files.exists(shadow, LinkOption.NOFOLLOW_LINKS)) return Map.of();
    return new TreeMap<>(Files.readAttributes(shadow, "unix:mode,nlink,size,uid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS));
  }
}
