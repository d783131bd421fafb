package io.strata.runtime.volume;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.errdefs.NotFoundException;
import io.strata.store.FileTrees;
import io.strata.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Docker's named and anonymous volumes on the local driver, in {@code <root>/volumes/NAME/_data}.
 * A volume in use by a container (running or not) is never removed; removal decides in a
 * transaction and moves the directory to the store's trash, deleting it after.
 */
public final class Volumes {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

  private final Store store;
  private final Path dir;
  private final VolumeStore table;

  public Volumes(Store store) {
    this.store = store;
    this.dir = store.root().resolve("volumes");
    this.table = new VolumeStore(store.db(), store.events(), dir);
  }

  /** {@code volume create}: an existing volume of that name is returned as it is, as in Docker. */
  public Volume create(String name, String driver, Map<String, String> options, Map<String, String> labels) {
    if (driver != null && !driver.isEmpty() && !driver.equals("local")) {
      throw new NotFoundException("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
    }
    boolean anonymous = name == null || name.isEmpty();
    String n = anonymous ? HexFormat.of().formatHex(randomBytes()) : name;
    if (!NAME.matcher(n).matches()) {
      throw new InvalidArgumentException("create " + n + ": \"" + n + "\" includes invalid characters for a local volume name, only "
          + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }
    VolumeMount.of(options, dir.resolve(n).resolve("_data"));
    Map<String, String> l = new java.util.TreeMap<>(labels);
    if (anonymous) l.put(Volume.ANONYMOUS_LABEL, "");
    try {
      Files.createDirectories(dir.resolve(n).resolve("_data"));
    } catch (IOException e) {
      throw new UncheckedIOException("create volume " + n, e);
    }
    return table.insertIfAbsent(new Volume(n, dir.resolve(n).resolve("_data"), Instant.now(), l, options, anonymous));
  }

  public Volume get(String name) {
    return table.get(name).orElseThrow(() -> new NotFoundException("get " + name + ": no such volume"));
  }

  public boolean exists(String name) {
    return table.get(name).isPresent();
  }

  public List<Volume> list() {
    return table.list();
  }

  /** The containers (running or not) that mount the volume. */
  public List<String> users(String name) {
    return table.users(name);
  }

  /** How the volume is mounted into a container. */
  public VolumeMount mount(Volume v) {
    return VolumeMount.of(v);
  }

  /** A container mounts these volumes (at its creation); each must exist. */
  public void use(String containerId, List<String> names) {
    table.use(containerId, names);
  }

  /** The container is removed: its uses go; with {@code removeAnonymous} ({@code rm -v}, {@code --rm}) so do its anonymous volumes. */
  public void release(String containerId, boolean removeAnonymous) {
    List<String> used = table.release(containerId);
    if (!removeAnonymous) return;
    for (String n : used) {
      table.get(n).filter(Volume::anonymous).ifPresent(v -> {
        try {
          remove(n, false);
        } catch (RuntimeException inUseElsewhere) {
          // another container (--volumes-from) still mounts it: it stays, as in Docker
        }
      });
    }
  }

  /** {@code volume rm}: refused while a container uses it; {@code force} ignores a missing one. */
  public void remove(String name, boolean force) {
    table.delete(name, force, () -> store.trash().put(dir.resolve(name)));
    store.trash().empty();
  }

  /** {@code volume prune}: unused anonymous volumes, or with {@code all} every unused one. */
  public Pruned prune(boolean all, Map<String, String> labels) {
    List<String> gone = new ArrayList<>();
    long bytes = 0;
    for (Volume v : table.list()) {
      if (!all && !v.anonymous()) continue;
      if (!labels.entrySet().stream().allMatch(e -> e.getValue() == null ? v.labels().containsKey(e.getKey())
          : e.getValue().equals(v.labels().get(e.getKey())))) {
        continue;
      }
      if (!table.users(v.name()).isEmpty()) continue;
      long size = size(v);
      try {
        table.delete(v.name(), true, () -> store.trash().put(dir.resolve(v.name())));
      } catch (RuntimeException raced) {
        continue; // a container took it meanwhile
      }
      gone.add(v.name());
      bytes += size;
    }
    store.trash().empty();
    return new Pruned(gone, bytes);
  }

  public record Pruned(List<String> names, long bytes) {}

  /** The bytes in the volume's directory (0 for a tmpfs or a bind of another path). */
  public long size(Volume v) {
    return mount(v) instanceof VolumeMount.Bind b && b.source().equals(v.mountpoint()) && Files.isDirectory(v.mountpoint())
        ? FileTrees.apparentSize(v.mountpoint()) : 0;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
