package io.strata.runtime;

import io.strata.layer.InRoot;
import io.strata.runtime.spec.BindMount;
import io.strata.runtime.spec.ContainerSettings;
import io.strata.runtime.spec.TmpfsMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The mount points runc creates for a build step's mounts when the root lacks them: they are not
 * the step's changes, so they are removed again afterwards, as BuildKit does, but only while still
 * empty and reached the same way as before the step: a step that replaced a parent with a symlink
 * to a host path (CVE-2024-23652) gets nothing deleted, inside or outside its root, and nothing it
 * wrote is lost.
 */
final class MountStubs {
  private final Path root;
  private final java.util.Map<String, Path> stubs; // in-root path -> where it resolved before the step, parents first

  private MountStubs(Path root, java.util.Map<String, Path> stubs) {
    this.root = root;
    this.stubs = stubs;
  }

  /** The missing components of every mount destination of {@code s} in {@code root}, before the step runs. */
  static MountStubs before(Path root, ContainerSettings s) {
    java.util.Map<String, Path> missing = new java.util.LinkedHashMap<>();
    List<String> destinations = Stream.concat(s.binds().stream().map(BindMount::destination),
        s.tmpfs().stream().map(TmpfsMount::destination)).toList();
    for (String d : destinations) {
      StringBuilder path = new StringBuilder();
      for (String c : InRoot.clean(d).substring(1).split("/")) {
        if (c.isEmpty()) continue;
        path.append('/').append(c);
        String p = path.toString();
        if (missing.containsKey(p)) continue;
        Path resolved = resolve(root, p);
        // an image's own symlinks on the way (/var/run -> /run) are fine: the stub is where they lead
        if (resolved != null && !Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) missing.put(p, resolved);
      }
    }
    return new MountStubs(root, missing);
  }

  private static Path resolve(Path root, String path) {
    try {
      return InRoot.resolveNoFollow(root, path);
    } catch (IOException e) {
      return null;
    }
  }

  /** Removes the stubs that are still empty, deepest first. */
  void removeEmpty() {
    for (var stub : new ArrayList<>(stubs.entrySet()).reversed()) {
      try {
        Path p = InRoot.resolveNoFollow(root, stub.getKey());
        if (!p.equals(stub.getValue())) continue; // the step changed the way there (a symlink it planted): not ours
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          try (var entries = Files.list(p)) {
            if (entries.findAny().isPresent()) continue;
          }
          Files.delete(p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
          Files.delete(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("remove mount point " + stub.getKey(), e);
      }
    }
  }
}
