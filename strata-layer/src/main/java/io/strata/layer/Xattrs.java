package io.strata.layer;

import io.strata.sys.ErrnoException;
import io.strata.sys.Syscalls;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A path's own extended attributes (never a symlink's target's), without overlayfs's private ones. */
public final class Xattrs {
  private Xattrs() {}

  /** Name to value, in the kernel's order; none on a filesystem without xattrs. */
  public static Map<String, byte[]> read(Path p) throws ErrnoException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try {
      for (String name : Syscalls.llistxattr(p)) {
        if (EntryWriter.isOverlayXattr(name)) continue;
        out.put(name, Syscalls.lgetxattr(p, name));
      }
    } catch (ErrnoException e) {
      if (e.errno() != ErrnoException.ENOTSUP) throw e;
    }
    return out;
  }
}
