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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The mount points runc creates for a build step's mounts when the root lacks them: they are not
 * the step's changes, so they are removed again afterwards, as BuildKit does, but only while still
 * empty and reached without a symlink: a step that replaced a parent with a symlink to a host path
 * (CVE-2024-23652) gets nothing deleted outside its root, and nothing it wrote is lost.
 */
final class MountStubs {
  private final Path root;
  private final List<String> stubs; // in-root paths, parents first

  private MountStubs(Path root, List<String> stubs) {
    this.root = root;
    this.stubs = stubs;
  }

  /** The missing components of every mount destination of {@code s} in {@code root}, before the step runs. */
  static MountStubs before(Path root, ContainerSettings s) {
    Set<String> missing = new LinkedHashSet<>();
    List<String> destinations = Stream.concat(s.binds().stream().map(BindMount::destination),
        s.tmpfs().stream().map(TmpfsMount::destination)).toList();
    for (String d : destinations) {
      StringBuilder path = new StringBuilder();
      for (String c : InRoot.clean(d).substring(1).split("/")) {
        if (c.isEmpty()) continue;
        path.append('/').append(c);
        if (missing.contains(path.toString()) || !exists(root, path.toString())) missing.add(path.toString());
      }
    }
    return new MountStubs(root, new ArrayList<>(missing));
  }

  private static boolean exists(Path root, String path) {
    try {
      return Files.exists(InRoot.resolveNoFollow(root, path), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the stubs that are still empty, deepest first. */
  void removeEmpty() {
    for (String stub : stubs.reversed()) {
      try {
        Path p = InRoot.resolveNoFollow(root, stub);
        if (!p.equals(root.resolve(stub.substring(1)))) continue; // reached through a symlink: not ours
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          try (var entries = Files.list(p)) {
            if (entries.findAny().isPresent()) continue;
          }
          Files.delete(p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
          Files.delete(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("remove mount point " + stub, e);
      }
    }
  }
}
