package io.strata.layer;

import io.strata.errdefs.InvalidArgumentException;
import io.strata.sys.Syscalls;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * OCI whiteouts (image-spec layer.md#whiteouts): {@code .wh.NAME} removes NAME from the lower
 * layers, {@code .wh..wh..opq} hides everything the lower layers put in its directory. Neither
 * touches what this same layer unpacked, whatever the order of entries (S12), and neither follows
 * a final symlink: the parent is resolved inside the root, the victim is removed as itself (S11).
 * In {@link WhiteoutMode#OVERLAY} they become the kernel's whiteout forms instead of deletions.
 */
final class WhiteoutHandler {
  static final String PREFIX = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";

  static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

  private final RootPath root;
  private final Unpacked unpacked;
  private final WhiteoutMode mode;
  private final Set<Path> placed = new HashSet<>(); // overlay whiteout devices this layer made

  WhiteoutHandler(RootPath root, Unpacked unpacked, WhiteoutMode mode) {
    this.root = root;
    this.unpacked = unpacked;
    this.mode = mode;
  }

  static boolean isWhiteout(String base) {
    return base.startsWith(PREFIX);
  }

  /** Applies the whiteout entry whose cleaned name is {@code components} (last one starts with .wh.). */
  void apply(String entryName, List<String> components) throws IOException {
    String base = components.getLast();
    List<String> parent = components.subList(0, components.size() - 1);
    if (base.equals(OPAQUE)) {
      Path dir = root.resolve(parent, true);
      if (mode == WhiteoutMode.OVERLAY) {
        prepareParents(dir);
        markOpaque(dir);
        return;
      }
      BasicFileAttributes a = RootPath.attrs(dir);
      if (a != null && a.isDirectory()) clearLower(dir);
      return;
    }
    String victim = base.substring(PREFIX.length());
    if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
      // S10: .wh.. and .wh... would remove the directory itself or its parent
      throw new InvalidArgumentException("layer entry " + Names.quote(entryName) + ": invalid whiteout: names its own directory or parent");
    }
    Path target = root.resolve(parent, true).resolve(victim);
    if (unpacked.contains(target)) return;
    if (mode == WhiteoutMode.DELETE) {
      EntryWriter.delete(target);
    } else if (RootPath.attrs(target) == null) {
      prepareParents(target.getParent());
      Syscalls.mknod(target, Syscalls.S_IFCHR, 0, 0, 0);
      placed.add(target);
    }
  }

  /**
   * Overlay mode: makes {@code dir} and its ancestors directories. An ancestor that is a whiteout
   * this layer placed becomes an opaque directory: the layer deleted the lower one, then filled it.
   */
  void prepareParents(Path dir) throws IOException {
    if (placed.isEmpty()) {
      root.mkdirs(dir);
      return;
    }
    for (Path p = root.root(); ; ) {
      BasicFileAttributes a = RootPath.attrs(p);
      if (placed.contains(p)) makeOpaqueDir(p);
      else if (a == null) Files.createDirectory(p);
      else if (!a.isDirectory()) throw new java.nio.file.NotDirectoryException(p.toString());
      if (p.equals(dir)) return;
      p = p.resolve(dir.getName(p.getNameCount()).toString());
    }
  }

  /** Overlay mode: after an entry replaced {@code path}, a directory over a placed whiteout is opaque. */
  void replaced(Path path, boolean isDirectory) throws IOException {
    if (placed.remove(path) && isDirectory) markOpaque(path);
  }

  private void makeOpaqueDir(Path p) throws IOException {
    if (placed.remove(p)) Files.delete(p);
    Files.createDirectory(p);
    markOpaque(p);
  }

  private static void markOpaque(Path dir) throws IOException {
    Syscalls.lsetxattr(dir, OVERLAY_OPAQUE_XATTR, new byte[] {'y'});
  }

  /** Removes from {@code dir} every path neither unpacked by this layer nor above something that was. */
  private void clearLower(Path dir) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    for (Path child : children) {
      if (unpacked.contains(child) || unpacked.isAncestor(child)) {
        BasicFileAttributes a = RootPath.attrs(child);
        if (a != null && a.isDirectory()) clearLower(child); // a same-layer directory hides lower content too
      } else {
        EntryWriter.delete(child);
      }
    }
  }
}
